export declare const MIN_NODE: string;
export declare function nodeVersionProblem(
  running: string,
  minimum: string,
  executable?: string,
): string | undefined;
