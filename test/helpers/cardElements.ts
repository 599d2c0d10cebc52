/** Every element of a card's body (containers and column sets opened), not what is behind Action.ShowCard buttons. */
export function bodyElements(card: any): any[] {
  const out: any[] = [];
  const walk = (items: any[] | undefined) => {
    for (const e of items ?? []) {
      out.push(e);
      walk(e.items);
      for (const c of e.columns ?? []) walk(c.items);
    }
  };
  walk(card?.body);
  return out;
}

/** The card's inputs. */
export const inputs = (card: any) => bodyElements(card).filter((e) => String(e.type).startsWith('Input.'));
/** The ids of the error lines shown beside fields (`<field>Error`), sorted. */
export const errorsBeside = (card: any) => bodyElements(card).filter((e) => typeof e.id === 'string' && e.id.endsWith('Error')).map((e) => e.id).sort();
