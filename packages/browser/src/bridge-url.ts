/** Resolves a bridge path (`/send/NAME`, `/events`) against the bridge URL, relative to the page in a browser. */
export function bridgeUrl(base: string, path: string): string {
  const page = (globalThis as { location?: { href: string } }).location?.href;
  return new URL(`${base.replace(/\/+$/, '')}${path}`, page).href;
}
