// Renders a Vega-Lite spec to an SVG string headlessly: Vega's SVG string renderer needs no canvas or browser.
import type { TopLevelSpec } from 'vega-lite';

/** Vega and Vega-Lite load on first use, so that importing the library does not pay for them. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
