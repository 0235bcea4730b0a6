/** A tiny loss curve for a table row: one SVG polyline, built as elements (never as markup text). */

const WIDTH = 80;
const HEIGHT = 20;

export function Sparkline({ values }: { values: readonly number[] }) {
  if (values.length < 2) return null;
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const span = max - min || 1;
  const dx = WIDTH / (values.length - 1);
  const points = values
    .map((value, i) => `${(i * dx).toFixed(1)},${(HEIGHT - 1 - ((value - min) / span) * (HEIGHT - 2)).toFixed(1)}`)
    .join(' ');
  return (
    <svg class="sparkline" width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} aria-hidden="true">
      <polyline points={points} />
    </svg>
  );
}
