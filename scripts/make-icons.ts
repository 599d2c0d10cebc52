/**
 * Draws the Teams app icons into appPackage/:
 *   color.png   192×192, full colour: two overlapping speech bubbles (school and social services talking)
 *   outline.png  32×32, the same motif in white on a transparent background (Teams accepts nothing else)
 *
 * Shapes are signed distance functions, so the edges are anti-aliased without supersampling and the
 * output is deterministic (test/appPackage/manifest.test.ts re-renders and compares with the committed PNGs).
 *
 * Usage: npx tsx scripts/make-icons.ts
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';

export const COLOR_SIZE = 192;
export const OUTLINE_SIZE = 32;

/** Same colour as the manifest's accentColor, so the icon tile and Teams chrome match. */
export const ACCENT = '#1A6B73';
const FRONT_BUBBLE = '#FFC857';
const BACK_BUBBLE = '#FFFFFF';

type Sdf = (x: number, y: number) => number;
type Rgb = readonly [number, number, number];

function hex(colour: string): Rgb {
  const n = Number.parseInt(colour.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Rounded rectangle from (x0, y0) to (x1, y1) with corner radius r. */
function roundRect(x0: number, y0: number, x1: number, y1: number, r: number): Sdf {
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const hx = (x1 - x0) / 2 - r;
  const hy = (y1 - y0) / 2 - r;
  return (x, y) => {
    const qx = Math.abs(x - cx) - hx;
    const qy = Math.abs(y - cy) - hy;
    return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
  };
}

function circle(cx: number, cy: number, r: number): Sdf {
  return (x, y) => Math.hypot(x - cx, y - cy) - r;
}

/** Exact signed distance to a convex or concave polygon (negative inside). */
function polygon(points: ReadonlyArray<readonly [number, number]>): Sdf {
  return (x, y) => {
    let d = Infinity;
    let sign = 1;
    for (let i = 0, j = points.length - 1; i < points.length; j = i, i++) {
      const [ax, ay] = points[i]!;
      const [bx, by] = points[j]!;
      const ex = bx - ax;
      const ey = by - ay;
      const wx = x - ax;
      const wy = y - ay;
      const t = Math.min(Math.max((wx * ex + wy * ey) / (ex * ex + ey * ey), 0), 1);
      d = Math.min(d, Math.hypot(wx - ex * t, wy - ey * t));
      const c1 = y >= ay;
      const c2 = y < by;
      const c3 = ex * wy > ey * wx;
      if ((c1 && c2 && c3) || (!c1 && !c2 && !c3)) sign = -sign;
    }
    return sign * d;
  };
}

const union =
  (...shapes: Sdf[]): Sdf =>
  (x, y) =>
    Math.min(...shapes.map((s) => s(x, y)));
const subtract =
  (a: Sdf, b: Sdf): Sdf =>
  (x, y) =>
    Math.max(a(x, y), -b(x, y));
const grow =
  (a: Sdf, by: number): Sdf =>
  (x, y) =>
    a(x, y) - by;

interface Motif {
  back: Sdf;
  front: Sdf;
  dots: Sdf;
}

/**
 * The motif in unit coordinates (0..1, y down), scaled about the centre by `scale`.
 * `gap` is the clear ring around the front bubble where it overlaps the back one; `dot` the radius of its three dots.
 */
function motif(scale: number, gap: number, dot: number): Motif {
  const s = (v: number) => 0.5 + (v - 0.5) * scale;
  const backBody = roundRect(s(0.14), s(0.18), s(0.64), s(0.56), 0.1 * scale);
  const backTail = polygon([
    [s(0.22), s(0.5)],
    [s(0.38), s(0.5)],
    [s(0.17), s(0.7)],
  ]);
  const frontBody = roundRect(s(0.36), s(0.4), s(0.86), s(0.78), 0.1 * scale);
  const frontTail = polygon([
    [s(0.62), s(0.72)],
    [s(0.78), s(0.72)],
    [s(0.83), s(0.92)],
  ]);
  const front = union(frontBody, frontTail);
  const back = subtract(union(backBody, backTail), grow(front, gap));
  const dotY = s(0.59);
  const dots = union(circle(s(0.49), dotY, dot), circle(s(0.61), dotY, dot), circle(s(0.73), dotY, dot));
  return { back, front, dots };
}

/** Coverage of a pixel by a shape from its signed distance at the pixel centre (unit coordinates). */
function coverage(shape: Sdf, px: number, py: number, size: number): number {
  const d = shape((px + 0.5) / size, (py + 0.5) / size) * size;
  return Math.min(Math.max(0.5 - d, 0), 1);
}

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** 192×192 opaque icon: accent background, white back bubble, yellow front bubble with accent dots. */
export function renderColorIcon(): PNG {
  const size = COLOR_SIZE;
  const png = new PNG({ width: size, height: size, colorType: 6 });
  const { back, front, dots } = motif(1, 0.035, 0.035);
  const bg = hex(ACCENT);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let c = bg;
      c = mix(c, hex(BACK_BUBBLE), coverage(back, x, y, size));
      c = mix(c, hex(FRONT_BUBBLE), coverage(front, x, y, size));
      c = mix(c, bg, coverage(dots, x, y, size));
      const i = (y * size + x) * 4;
      png.data[i] = Math.round(c[0]);
      png.data[i + 1] = Math.round(c[1]);
      png.data[i + 2] = Math.round(c[2]);
      png.data[i + 3] = 255;
    }
  }
  return png;
}

/**
 * 32×32 outline icon. Every pixel is RGB white; only alpha varies (0 = transparent, edges anti-aliased),
 * so a checker that ignores alpha and one that reads it both see "white on transparent".
 */
export function renderOutlineIcon(): PNG {
  const size = OUTLINE_SIZE;
  const png = new PNG({ width: size, height: size, colorType: 6 });
  // Bigger than the colour motif: the outline icon has no tile around it and must read at 16–32 px.
  const { back, front, dots } = motif(1.12, 0.065, 0.05);
  const white = union(back, subtract(front, dots));
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      png.data[i] = 255;
      png.data[i + 1] = 255;
      png.data[i + 2] = 255;
      png.data[i + 3] = Math.round(coverage(white, x, y, size) * 255);
    }
  }
  return png;
}

export function encodePng(png: PNG): Buffer {
  return PNG.sync.write(png, { colorType: 6 });
}

export function writeIcons(appPackageDir: string): string[] {
  const color = path.join(appPackageDir, 'color.png');
  const outline = path.join(appPackageDir, 'outline.png');
  writeFileSync(color, encodePng(renderColorIcon()));
  writeFileSync(outline, encodePng(renderOutlineIcon()));
  return [color, outline];
}

if (require.main === module) {
  const written = writeIcons(path.resolve(__dirname, '..', 'appPackage'));
  for (const file of written) console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
