/** Fixed-width UTC ISO text; compares correctly as a string. */
export function toIso(date: Date): string {
  return date.toISOString();
}

export function addMs(date: Date, ms: number): Date {
  return new Date(date.getTime() + ms);
}
