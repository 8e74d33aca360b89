/** HTML escaping for the preview's renderers (its own module so that render.ts and day2.ts share it without a cycle). */

/** Escapes text for HTML/XML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
    return String(value ?? '').replace(/[&<>"']/g, c =>
        c === '&'
            ? '&amp;'
            : c === '<'
              ? '&lt;'
              : c === '>'
                ? '&gt;'
                : c === '"'
                  ? '&quot;'
                  : '&#39;'
    );
}
