// Shape checks for what a webview sends: everything from a webview is untrusted
// input, checked before the host acts on it. Pure, so unit-tested.

export type Shape = Record<string, unknown>;

export function isShape(value: unknown): value is Shape {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isRequestId(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

export function isId(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= 500;
}

export function isText(value: unknown, max = 100_000): value is string {
  return typeof value === "string" && value.length <= max;
}
