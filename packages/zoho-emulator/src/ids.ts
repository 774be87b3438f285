/** Zoho-shaped record ids: 19-digit decimal strings sharing an org prefix, handed out in creation order. */
export class IdGenerator {
  private next = 0;

  constructor(private readonly prefix = '58431040000') {}

  nextId(): string {
    this.next += 1;
    return `${this.prefix}${String(this.next).padStart(8, '0')}`;
  }

  /** Continues after `id` (one this generator handed out earlier, e.g. before a restart), so no id repeats. */
  advancePast(id: string): void {
    if (id.startsWith(this.prefix)) this.next = Math.max(this.next, Number(id.slice(this.prefix.length)) || 0);
  }
}
