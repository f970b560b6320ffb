/*
 * The words the panel shows for the server's codes: triggers, states, ticket statuses, priorities,
 * and a visitor's name.
 */

export const TRIGGERS = {
  user_request: 'Asked for a person',
  frustration: 'Frustration',
  complex_issue: 'Complex issue',
  sales_opportunity: 'Sales opportunity',
  other: 'Other',
};
export const STATES = { ai: 'AI', waiting: 'Waiting', human: 'With agent', closed: 'Closed', lead_capture: 'Lead capture', freshchat: 'In FreshChat' };
export const TICKET_STATUSES = { open: 'Open', pending_internal: 'Pending internal', pending_visitor: 'Pending visitor', resolved: 'Resolved' };
export const PRIORITIES = { low: 'Low', medium: 'Medium', high: 'High', urgent: 'Urgent' };

export function visitorLabel(c) {
  if (c && c.visitor_name) return c.visitor_name;
  const id = (c && (c.id || c.conversation_id)) || '';
  return 'Visitor ' + id.replace(/-/g, '').slice(-5);
}
