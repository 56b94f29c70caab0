// A local time in a column whose header names the zone of now ("At, CEST"), with the
// cell's own zone beside it when that is another one (an entry from the other side of a
// daylight-saving change: "2026-12-05 09:54:40 CET"), so that no cell reads an hour off.
import { zoneIfOther } from '../text/time.ts';

export function ZonedTime({
  text,
  iso,
  headerZone,
}: {
  text: string;
  iso: string | null | undefined;
  headerZone: string;
}) {
  const zone = zoneIfOther(iso, headerZone);
  return zone ? (
    <>
      {text} <span className="zone">{zone}</span>
    </>
  ) : (
    <>{text}</>
  );
}
