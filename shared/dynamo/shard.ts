/** Which of `shards` partitions an id's items go to: a stable hash, so a write for one id always meets the same item. */
export const shardOf = (id: string, shards: number): number => [...id].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) % shards, 0);
