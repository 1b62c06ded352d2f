export type ColorLevel = 0 | 1 | 2 | 3;

/**
 * Whether to colour: --color / --no-color win, then NO_COLOR (no-color.org: any non-empty value;
 * chalk alone ignores it), then FORCE_COLOR, then "only on a terminal". `detect` gives what chalk's
 * supports-color found for stdout (terminal capability, TERM=dumb, FORCE_COLOR's level), asked
 * only when the answer depends on it: loading chalk is start-up time a pipe does not need.
 */
export function colorLevel(
  option: boolean | undefined,
  env: NodeJS.ProcessEnv,
  isTTY: boolean,
  detect: () => ColorLevel,
): ColorLevel {
  if (option === false) return 0;
  if (option === true) return detect() || 1;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (env.FORCE_COLOR !== undefined) return detect();
  return isTTY ? detect() : 0;
}
