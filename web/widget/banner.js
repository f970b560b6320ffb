/*!
 * Baton chat widget.
 *
 *   <script src="https://chat.example.com/widget.js" data-bot="BOT_ID" async></script>
 *
 * Optional attributes: data-accent="#2563eb" (a CSS colour), data-position="left|right",
 * data-lang="de" (the visitor's language; otherwise the page's <html lang>, then the browser's).
 *
 * The widget renders inside a Shadow DOM (the page's styles do not reach it, its styles do not
 * leak out), talks to the server the script was loaded from, and keeps the conversation id, its
 * token and the last sequence number in localStorage (one entry per bot), so a reload resumes the
 * same conversation. Live events come over a WebSocket that reconnects with exponential backoff
 * and resumes from the last sequence number seen (docs/websocket.md). Messages are sent with a
 * client_id, so a retry never creates a duplicate.
 *
 * Every piece of text that comes from the server or the visitor is inserted with textContent;
 * nothing here ever parses data as HTML.
 *
 * The widget's own texts come from the server with the bot (`strings`, in the visitor's language);
 * only the few needed before that answer arrives, or if it never does, are built in (English).
 */
