// fs.promises is read when first called; importing node:fs/promises would load it (and readline) at every start.
import { promises as fs } from 'node:fs';
import type { Policy } from '../policy/model.js';
import { addPolicy, emptyPolicy, PolicyError } from '../policy/read.js';
import { escapeControls } from '../format/text.js';
import { describeIoError, shownPath } from './paths.js';

/**
 * The --policy files, read into one policy before any capture is opened; or the one line that
 * says why one cannot be: `FILE:LINE: message` (as compilers and grep -n name a place in a text
 * file), `FILE: no such file` for one that cannot be opened.
 */
export async function readPolicyOption(paths: readonly string[]): Promise<Policy | string> {
  const policy = emptyPolicy();
  for (const path of paths) {
    let bytes: Uint8Array;
    try {
      bytes = await fs.readFile(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return `${shownPath(path)}: ${code === 'EISDIR' ? 'is a directory, not a policy export' : describeIoError(err)}`;
    }
    try {
      addPolicy(policy, bytes, path);
    } catch (err) {
      if (!(err instanceof PolicyError)) throw err;
      return `${shownPath(err.file)}:${err.line}: ${escapeControls(err.message)}`;
    }
  }
  return policy;
}
