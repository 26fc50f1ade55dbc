// Small helpers for writing SVG markup as strings. Numbers are rounded to one decimal so the markup (and so
// the PNG) is short and identical on every run.

export interface Point {
  x: number;
  y: number;
}

export function n(value: number): string {
  return String(Math.round(value * 10) / 10);
}

export function pt(x: number, y: number): Point {
  return { x, y };
}

/** "x,y x,y ..." for polylines and polygons. */
export function points(list: readonly Point[]): string {
  return list.map((p) => `${n(p.x)},${n(p.y)}`).join(' ');
}

export function ellipse(cx: number, cy: number, rx: number, ry: number, attrs: string): string {
  return `<ellipse cx="${n(cx)}" cy="${n(cy)}" rx="${n(rx)}" ry="${n(ry)}" ${attrs}/>`;
}

export function circle(cx: number, cy: number, r: number, attrs: string): string {
  return `<circle cx="${n(cx)}" cy="${n(cy)}" r="${n(r)}" ${attrs}/>`;
}

export function rect(x: number, y: number, width: number, height: number, attrs: string): string {
  return `<rect x="${n(x)}" y="${n(y)}" width="${n(width)}" height="${n(height)}" ${attrs}/>`;
}

export function path(d: string, attrs: string): string {
  return `<path d="${d}" ${attrs}/>`;
}

/** Stroke attributes for a line drawn in one colour with round ends. */
export function stroke(colour: string, width: number): string {
  return `fill="none" stroke="${colour}" stroke-width="${n(width)}" stroke-linecap="round" stroke-linejoin="round"`;
}

/** Width of the ink line around every outlined shape, in world units. */
export const INK = 3.5;

/**
 * Cartoon inking: the shapes drawn once with a thick dark edge, then again without it on top, so overlapping
 * shapes merge into one outlined silhouette (a nose joins the head with no seam).
 */
export function inked(shapes: string, outline: string, width: number): string {
  return `<g stroke="${outline}" stroke-width="${n(width * 2)}" stroke-linejoin="round">${shapes}</g><g stroke="none">${shapes}</g>`;
}

export function group(content: string, transform?: string): string {
  return transform ? `<g transform="${transform}">${content}</g>` : `<g>${content}</g>`;
}
