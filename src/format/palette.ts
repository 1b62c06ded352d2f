import { createRequire } from 'node:module';
import type { ChalkInstance } from 'chalk';
import type { Severity } from '../decode/warnings.js';

/** What a hex dump marks: the VSID, the FlowID, the first byte of the tenant's frame. */
export type MarkKind = 'vsid' | 'flow' | 'inner';

/** Colours for the text formatters. Level 0 makes every function the identity: pipes get plain text. */
export interface Palette {
  /** No colour at all: formatters may write text straight into their sink. */
  readonly plain: boolean;
  frame(s: string): string;
  layer(s: string): string;
  label(s: string): string;
  severity(sev: Severity, s: string): string;
  /** Hex-dump highlights: VSID bytes, FlowID byte, first byte of the inner frame. */
  mark(kind: MarkKind, s: string): string;
}

/**
 * chalk, loaded when first needed: colour is for terminals, and loading it took 2 ms of every
 * start, pipes included. require() of an ES module (Node >= 20.19) keeps makePalette synchronous.
 */
export const loadChalk = (): typeof import('chalk') => createRequire(import.meta.url)('chalk') as typeof import('chalk');

export function makePalette(level: 0 | 1 | 2 | 3): Palette {
  if (level === 0) {
    const plain = (s: string): string => s;
    return { plain: true, frame: plain, layer: plain, label: plain, severity: (_sev, s) => s, mark: (_kind, s) => s };
  }
  const c: ChalkInstance = new (loadChalk().Chalk)({ level });
  const bySeverity: Record<Severity, (s: string) => string> = {
    note: c.blue,
    warn: c.yellow,
    error: c.red.bold,
  };
  const byMark: Record<MarkKind, (s: string) => string> = {
    vsid: c.bgMagenta.whiteBright.bold,
    flow: c.bgCyan.black,
    inner: c.underline.bold,
  };
  return {
    plain: false,
    mark: (kind, s) => byMark[kind](s),
    frame: c.bold,
    layer: c.cyan.bold,
    label: c.dim,
    severity: (sev, s) => bySeverity[sev](s),
  };
}
