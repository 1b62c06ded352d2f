/**
 * The differences between two -T ek documents, one line each: `missing P` (tshark has key P, we do
 * not), `extra P` (we have it, tshark not), `value P` (both, not equal), `order P` (the keys both
 * have, in another order in object P), `shape P` (one repeats the protocol, the other not, or not
 * as often). P is the path of protocol objects and the key, such as `icmp/data/data_data_len`.
 */
type Json = null | boolean | string | number | Json[] | { [k: string]: Json };

const isObject = (v: Json | undefined): v is { [k: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

export function ekDifferences(ours: Json, theirs: Json, path = ''): string[] {
  const at = (k: string): string => (path === '' ? k : `${path}/${k}`);
  if (isObject(ours) && isObject(theirs)) {
    const out: string[] = [];
    const both = Object.keys(theirs).filter((k) => k in ours);
    const ourOrder = Object.keys(ours).filter((k) => k in theirs);
    if (both.join() !== ourOrder.join()) out.push(`order ${path}`);
    for (const k of Object.keys(theirs)) if (!(k in ours)) out.push(`missing ${at(k)}`);
    for (const k of Object.keys(ours)) if (!(k in theirs)) out.push(`extra ${at(k)}`);
    for (const k of both) out.push(...ekDifferences(ours[k], theirs[k], at(k)));
    return out;
  }
  const objects = (v: Json): boolean => isObject(v) || (Array.isArray(v) && v.length > 0 && v.every(isObject));
  if (objects(ours) && objects(theirs)) {
    // A protocol as one object or an array of them (it repeats).
    const [o, t] = [ours, theirs].map((v) => (Array.isArray(v) ? v : [v]));
    const out = o.length === t.length && Array.isArray(ours) === Array.isArray(theirs) ? [] : [`shape ${path}`];
    for (let i = 0; i < Math.min(o.length, t.length); i++) out.push(...ekDifferences(o[i], t[i], path));
    return out;
  }
  return JSON.stringify(ours) === JSON.stringify(theirs) ? [] : [`value ${path}`];
}
