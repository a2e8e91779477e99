/**
 * A Map that forgets its oldest entries past `capacity`. Given to the library as its
 * `ephemeralCache`, which otherwise grows with every identifier that ever hit a limit
 * (one entry per attacking address) until the process restarts.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly capacity: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.capacity) {
      const oldest = this.keys().next();
      if (oldest.done !== true) this.delete(oldest.value);
    }
    return super.set(key, value);
  }
}
