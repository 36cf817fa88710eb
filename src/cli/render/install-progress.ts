/**
 * Install events as a progress line. Two phases:
 *
 * - fetching: `[####......] 3/7 packages  96 KB  wasi:io@0.2.3`: packages described (from the
 *   cache or the registry) out of those known so far (the total grows as dependencies are found),
 *   bytes downloaded, the latest package (nothing is drawn before the first package is known,
 *   except `resolving wasi:http from ghcr.io…` as soon as the first request for a package starts);
 * - writing (after `writing` announces the count): `[##........] 1/7 written  wasi-io-0.2.3`.
 *
 * The events stay data (`app/`); only this file turns them into a line.
 */
import type { InstallEvent } from '../../app/deps/install.js';
import type { ProgressState } from './progress-format.js';

/** Where the state goes (a {@link StatusLine} on a terminal). */
export interface ProgressSink {
  update(state: ProgressState): void;
}

/** Returns an event handler that keeps counters and updates `sink`. */
export function installProgress(sink: ProgressSink): (event: InstallEvent) => void {
  const started = new Set<string>();
  const finished = new Set<string>();
  let bytes = 0;
  let writing: { total: number; done: number } | undefined;
  let subject = '';
  const fetchState = (): ProgressState => ({
    done: finished.size,
    total: started.size,
    noun: 'packages',
    bytes,
    subject,
  });
  return (event) => {
    switch (event.kind) {
      case 'package-start':
        started.add(event.id);
        break;
      case 'package-done':
        finished.add(event.id);
        subject = event.id;
        break;
      case 'download':
        bytes += event.bytes;
        subject = event.id;
        break;
      case 'tags':
        subject = event.name;
        break;
      case 'resolving':
        // drawn at once, before the registry answers: the line says what is being waited for
        subject = `resolving ${event.name} from ${event.registry}…`;
        if (writing === undefined) sink.update(fetchState());
        return;
      case 'writing':
        writing = { total: event.folders, done: 0 };
        subject = '';
        break;
      case 'write':
        if (writing !== undefined) writing.done++;
        subject = event.folder;
        break;
      case 'cache-hit':
      case 'network':
      case 'offline-versions':
      case 'manifest':
      case 'resolved':
      case 'waiting-for-lock':
      case 'committed':
        return;
    }
    if (writing === undefined) {
      if (started.size > 0) sink.update(fetchState());
    } else if (writing.total > 0) sink.update({ ...writing, noun: 'written', bytes, subject });
  };
}
