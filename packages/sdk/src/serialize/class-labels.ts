/**
 * Class labels as a user types them (`0,1,2` or `setosa,versicolor`): integer-looking items become
 * numbers (they must match an integer label tensor), the rest stay strings. Empty → undefined
 * (read the labels from the model).
 */
export function parseClassLabels(items: readonly string[] | undefined): Array<string | number> | undefined {
  const list = (items ?? []).map((s) => s.trim()).filter((s) => s !== '');
  return list.length ? list.map((s) => (/^-?\d+$/.test(s) ? Number(s) : s)) : undefined;
}
