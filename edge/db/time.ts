// Times are stored as ISO 8601 strings in UTC, which sort as text.
export const iso = (d: Date) => d.toISOString();
export const addMinutes = (d: Date, minutes: number) => new Date(d.getTime() + minutes * 60_000);
export const addSeconds = (d: Date, seconds: number) => new Date(d.getTime() + seconds * 1000);
