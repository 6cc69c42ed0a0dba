/**
 * The box structure of an MP4 (ISO base media file format, ISO/IEC 14496-12): every box is a 32-bit
 * big-endian size (1: a 64-bit size follows the type; 0: the box runs to the end of its container), a
 * four-letter type, then its payload. A whole file is boxes laid end to end, exactly to its last byte.
 * Checked here without decoding the media: a file that only starts like an MP4 (`ftyp` and then a web
 * page, say) or was cut off does not chain, and one without a `moov` (the movie's index) cannot play.
 */
interface Box {
  type: string;
  /** Offset of the payload (after the header) and of the byte after the box. */
  payload: number;
  end: number;
}

/** The boxes in [start, end) of `data`, or a description (Chinese) of where the chain breaks. */
function readBoxes(data: Buffer, start: number, end: number, where: string): Box[] | string {
  const boxes: Box[] = [];
  let at = start;
  while (at < end) {
    if (end - at < 8) return `${where}末尾有 ${end - at} 个多余字节`;
    const size32 = data.readUInt32BE(at);
    const type = data.toString('latin1', at + 4, at + 8);
    // Box types are four printable characters (ISO/IEC 14496-12 §4.2; `©xyz` types live deeper, in `udta`).
    if (!/^[\x20-\x7e]{4}$/.test(type)) return `${where}偏移 ${at} 处不是有效的盒子类型`;
    let header = 8;
    let size: number;
    if (size32 === 1) {
      if (end - at < 16) return `${where}盒子 ${type} 的 64 位长度不完整`;
      const size64 = data.readBigUInt64BE(at + 8);
      if (size64 > BigInt(end - at)) return `盒子 ${type} 声明 ${size64} 字节，超出文件末尾`;
      size = Number(size64);
      header = 16;
    } else if (size32 === 0) {
      size = end - at;
    } else {
      size = size32;
    }
    if (size < header) return `盒子 ${type} 的长度 ${size} 小于其头部`;
    if (at + size > end) return `盒子 ${type} 声明 ${size} 字节，超出${where}末尾（文件可能不完整）`;
    boxes.push({ type, payload: at + header, end: at + size });
    at += size;
  }
  return boxes;
}

/** Why `data` is not a structurally whole MP4, in Chinese; null when it is. */
export function mp4StructureProblem(data: Buffer): string | null {
  const top = readBoxes(data, 0, data.length, '文件');
  if (typeof top === 'string') return top;
  const ftyp = top[0];
  if (!ftyp || ftyp.type !== 'ftyp') return '文件不是以 ftyp 盒子开头';
  // Major brand and minor version at least.
  if (ftyp.end - ftyp.payload < 8) return 'ftyp 盒子不完整';
  const moovs = top.filter((b) => b.type === 'moov');
  if (moovs.length !== 1) return moovs.length === 0 ? '缺少 moov 盒子（视频索引）' : '有多个 moov 盒子';
  if (!top.some((b) => b.type === 'mdat')) return '缺少 mdat 盒子（视频数据）';
  const moov = moovs[0]!;
  const inside = readBoxes(data, moov.payload, moov.end, 'moov 盒子');
  if (typeof inside === 'string') return inside;
  if (!inside.some((b) => b.type === 'mvhd')) return 'moov 盒子里缺少 mvhd';
  if (!inside.some((b) => b.type === 'trak')) return 'moov 盒子里没有任何轨道（trak）';
  return null;
}
