/**
 * `wit-deps wit print <file.wasm> [--all] [--out-dir <dir>]`: print a binary WIT package as text.
 */
import type { Command } from 'commander';
import type { CommandContext } from '../context.js';

function witCommand(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'wit') ??
    program.command('wit').description('work with WIT packages (print, check, build)')
  );
}

export function registerWitPrint(program: Command, ctx: CommandContext): void {
  witCommand(program)
    .command('print')
    .description('print a binary WIT package (.wasm), a .wit file or a WIT folder as WIT text')
    .argument('<file>', 'a binary WIT package (file.wasm), a .wit file or a WIT folder')
    .option(
      '--all',
      'also print every other package of the file as nested `package ... { }` blocks',
    )
    .option('--out-dir <dir>', 'write <dir>/<ns>-<name>-<version>/package.wit for every package')
    .action(async (file: string, opts: { all?: boolean; outDir?: string }) => {
      const { witPrint } = await import('../../app/wit/print.js');
      const result = await witPrint({
        file,
        cwd: ctx.io.cwd,
        ...(opts.all === true ? { all: true } : {}),
        ...(opts.outDir === undefined ? {} : { outDir: opts.outDir }),
      });
      ctx.emit({
        json: result,
        human: () =>
          result.wit ??
          (result.files ?? []).map((f) => `wrote ${f.package} to ${f.path}`).join('\n'),
      });
    });
}
