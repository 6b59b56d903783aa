/** SalesVu operations are its `action` names. */
export const SALESVU_OPERATIONS = ['create_order', 'complete_order', 'get_order', 'add_order_note', 'get_store_order'] as const;

export type SalesVuOperation = (typeof SALESVU_OPERATIONS)[number];

export function isSalesVuOperation(action: unknown): action is SalesVuOperation {
  return SALESVU_OPERATIONS.includes(action as SalesVuOperation);
}
