/** One WIT source file as the parser takes it: its path (for diagnostics) and its text. */
export interface WitSource {
  path: string;
  text: string;
}
