/**
 * Shell completion scripts, generated from the command tree (src/commands/completion.ts builds it
 * from the commander declaration). The scripts are static: the tree is embedded, so a TAB starts
 * no process. Each shell's renderer lives in its own file.
 */
import { renderBash } from "./completion-bash.js";
import { renderFish } from "./completion-fish.js";
import type { CompletionCommand, Shell } from "./completion-tree.js";
import { renderZsh } from "./completion-zsh.js";

export function renderCompletion(shell: Shell, root: CompletionCommand, version: string): string {
  switch (shell) {
    case "bash":
      return renderBash(root, version);
    case "zsh":
      return renderZsh(root, version);
    case "fish":
      return renderFish(root, version);
  }
}
