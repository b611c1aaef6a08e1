/** Record and user ids as the API gives them: opaque UUIDv7 strings. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An id's random tail, for the screen: UUIDv7 ids start with their timestamp, so the prefixes of
 * ids made together collide while their tails tell them apart. "—" for no id.
 */
export const shortId = (id: string | null | undefined): string => (!id ? "—" : id.length > 9 ? `…${id.slice(-8)}` : id);
