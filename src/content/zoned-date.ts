/**
 * A moment in time that remembers the UTC offset its author wrote it in.
 *
 * It is a real `Date` (so sorting, comparing, `where`, and JSON all work as
 * usual), plus `offset`: minutes east of UTC (`+0900` → 540). Everything a
 * reader sees — permalink date parts, the displayed date, `<time datetime>` —
 * is derived from the wall clock in that offset, never from the zone of the
 * machine running the build.
 */
export interface WallClock {
  readonly year: number
  /** 1–12. */
  readonly month: number
  /** 1–31. */
  readonly day: number
  readonly hour: number
  readonly minute: number
  readonly second: number
}

export class ZonedDate extends Date {
  /** Minutes east of UTC. */
  readonly offset: number

  constructor(instant: number, offset: number) {
    super(instant)
    this.offset = offset
  }

  /** Build from wall-clock fields as written in `offset` (minutes east of UTC). */
  static fromWallClock(wall: WallClock, offset: number): ZonedDate {
    const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second)
    return new ZonedDate(asUtc - offset * 60_000, offset)
  }

  /** The wall-clock fields in this date's own offset. */
  wall(): WallClock {
    const shifted = new Date(this.getTime() + this.offset * 60_000)
    return {
      year: shifted.getUTCFullYear(),
      month: shifted.getUTCMonth() + 1,
      day: shifted.getUTCDate(),
      hour: shifted.getUTCHours(),
      minute: shifted.getUTCMinutes(),
      second: shifted.getUTCSeconds()
    }
  }

  /** `+09:00`, `-07:00`, `+00:00`. */
  offsetString(separator = ':'): string {
    const sign = this.offset < 0 ? '-' : '+'
    const abs = Math.abs(this.offset)
    return sign + pad(Math.floor(abs / 60)) + separator + pad(abs % 60)
  }

  /** ISO 8601 in the written offset: `2024-05-12T00:00:00+09:00`. */
  toZonedISOString(): string {
    const w = this.wall()
    return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${this.offsetString()}`
  }

  /** Liquid prints dates through `toString`; make that the zoned ISO form, not the machine's zone. */
  override toString(): string {
    return this.toZonedISOString()
  }

  override toJSON(): string {
    return this.toZonedISOString()
  }
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0')
}
