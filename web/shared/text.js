/* Measuring and shaping text the way the server counts it. */

const encoder = new TextEncoder();

/** The size of a text in UTF-8 bytes (the server's limits on messages and documents). */
export const byteLength = (text) => encoder.encode(text).length;

/** The number of characters (code points, as the server counts titles and answers). */
export const charCount = (text) => Array.from(text).length;

/** The text with its first letter in upper case. */
export const capitalize = (text) => (text ? text.charAt(0).toUpperCase() + text.slice(1) : text);
