/** Pages live in the URL's fragment (#/runs/ID), so no path of the API is ever shadowed. */
export function go(...parts: string[]): void {
  window.location.hash = "#/" + parts.map(encodeURIComponent).join("/");
}
