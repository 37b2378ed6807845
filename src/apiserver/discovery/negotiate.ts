// Which discovery form to answer `/api` and `/apis` with. Clients decide how
// to parse the answer from its Content-Type alone, so the type returned here
// must be the one sent. kubectl 1.32 offers v2, then v2beta1, then plain
// JSON; kubectl 1.27 offers only v2beta1 and finds no resources if answered
// with v2, so the version asked for is the one served.
import type { AggregatedVersion } from './aggregated.js';

export type DiscoveryForm = AggregatedVersion | 'legacy';

const aggregatedGroup = 'apidiscovery.k8s.io';
const aggregatedKind = 'APIGroupDiscoveryList';

/** The Content-Type to answer each form with. */
export const discoveryContentTypes: Readonly<Record<DiscoveryForm, string>> = {
  v2: `application/json;g=${aggregatedGroup};v=v2;as=${aggregatedKind}`,
  v2beta1: `application/json;g=${aggregatedGroup};v=v2beta1;as=${aggregatedKind}`,
  legacy: 'application/json',
};

interface MediaRange {
  type: string;
  params: Map<string, string>;
  q: number;
}

function parseAccept(accept: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const item of accept.split(',')) {
    const [head = '', ...rest] = item.split(';');
    const type = head.trim().toLowerCase();
    if (type === '') continue;
    const params = new Map<string, string>();
    for (const p of rest) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      params.set(p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1'));
    }
    // An unparseable q counts as 1, as upstream's parser leaves the default.
    const q = Number(params.get('q') ?? '1');
    ranges.push({ type, params, q: Number.isNaN(q) ? 1 : q });
  }
  return ranges;
}

function aggregatedVersionOf(range: MediaRange): AggregatedVersion | undefined {
  if (range.type !== 'application/json' || range.q <= 0) return undefined;
  if (range.params.get('g') !== aggregatedGroup || range.params.get('as') !== aggregatedKind) return undefined;
  const v = range.params.get('v');
  return v === 'v2' || v === 'v2beta1' ? v : undefined;
}

/**
 * The aggregated version first offered in the Accept header (higher q
 * first, then header order; parameter order does not matter), or legacy
 * when none is offered. Only JSON is served for aggregated discovery.
 */
export function negotiateDiscovery(accept: string | undefined): DiscoveryForm {
  if (!accept) return 'legacy';
  const ranges = parseAccept(accept).sort((a, b) => b.q - a.q);
  for (const range of ranges) {
    const v = aggregatedVersionOf(range);
    if (v) return v;
  }
  return 'legacy';
}
