/** The per-response CSP nonce the server writes into the page, for antd's runtime style tags. */
export const cspNonce = (): string | undefined => document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content || undefined;

/**
 * Some rc-component helpers (the modal scroll lock, the scrollbar measurer) insert <style> tags
 * without a way to pass the nonce, and the CSP rightly blocks them. Only this origin's scripts can
 * run (script-src 'self'), so giving every style tag they create the page's nonce widens nothing
 * an injected HTML fragment could use: it cannot run code to create one.
 */
export function nonceEveryStyleTag(): void {
  const nonce = cspNonce();
  if (!nonce) return;
  const create = Document.prototype.createElement;
  Document.prototype.createElement = function (this: Document, tagName: string, options?: ElementCreationOptions) {
    const element = create.call(this, tagName, options);
    if (tagName.toLowerCase() === "style") (element as HTMLStyleElement).nonce = nonce;
    return element;
  } as typeof Document.prototype.createElement;
}
