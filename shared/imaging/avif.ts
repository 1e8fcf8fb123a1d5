// An AVIF file's structure, checked without decoding a pixel (the local renderer has no AV1
// decoder): its boxes (ISOBMFF) nest within the file, its primary item has a size (`ispe`),
// and every item's data lies inside the file or its `idat`. A file cut short, or whose
// offsets point outside it, is damaged; whether its AV1 data decodes is left to a decoder.

const ascii = (b: Uint8Array, start: number, length: number) => String.fromCharCode(...b.subarray(start, start + length));

interface Box {
  type: string;
  /** Where the box's content starts (after its header) and where the box ends. */
  body: number;
  end: number;
}

/** What is wrong with the file, in a developer's words. */
class Fault extends Error {}

/** Reads big-endian integers from `start` to `end`, refusing to read past `end`. */
class Reader {
  constructor(
    private readonly b: Uint8Array,
    public at: number,
    private readonly end: number,
    private readonly where: string,
  ) {}

  uint(bytes: number): number {
    if (this.at + bytes > this.end) throw new Fault(`${this.where} is cut short`);
    let value = 0;
    for (let i = 0; i < bytes; i++) value = value * 256 + this.b[this.at + i]!;
    this.at += bytes;
    return value;
  }

  u8 = () => this.uint(1);
  u16 = () => this.uint(2);
  u32 = () => this.uint(4);
}

/** The boxes from `start` to `end`, each within it. */
function boxesIn(b: Uint8Array, start: number, end: number, where: string): Box[] {
  const boxes: Box[] = [];
  let i = start;
  while (i < end) {
    const header = new Reader(b, i, end, `a box header in ${where}`);
    let size = header.u32();
    const type = ascii(b, i + 4, 4);
    header.at += 4;
    if (size === 1) size = header.uint(8); // a 64-bit size follows the type
    else if (size === 0) size = end - i; // to the end of what holds it
    if (size < header.at - i) throw new Fault(`the ${type} box in ${where} is smaller than its own header`);
    if (i + size > end) throw new Fault(`the ${type} box runs past the end of ${where}`);
    boxes.push({ type, body: header.at, end: i + size });
    i += size;
  }
  return boxes;
}

const only = (boxes: Box[], type: string, where: string): Box => {
  const found = boxes.filter((box) => box.type === type);
  if (found.length !== 1) throw new Fault(`${where} holds ${found.length} ${type} boxes, not one`);
  return found[0]!;
};

/** A full box's version (its flags follow in three bytes), and a reader after them. */
function fullBox(b: Uint8Array, box: Box): { version: number; flags: number; read: Reader } {
  const read = new Reader(b, box.body, box.end, `the ${box.type} box`);
  const version = read.u8();
  const flags = read.uint(3);
  return { version, flags, read };
}

function primaryItem(b: Uint8Array, pitm: Box): number {
  const { version, read } = fullBox(b, pitm);
  return version === 0 ? read.u16() : read.u32();
}

function itemIds(b: Uint8Array, iinf: Box): Set<number> {
  const { version, read } = fullBox(b, iinf);
  const count = version === 0 ? read.u16() : read.u32();
  const entries = boxesIn(b, read.at, iinf.end, 'iinf').filter((box) => box.type === 'infe');
  if (entries.length !== count) throw new Fault(`iinf names ${count} items but holds ${entries.length}`);
  return new Set(
    entries.map((infe) => {
      const entry = fullBox(b, infe);
      if (entry.version < 2) throw new Fault('an item is described in a version AVIF does not use');
      return entry.version === 2 ? entry.read.u16() : entry.read.u32();
    }),
  );
}

/** The properties (1-based, as ipma counts them) associated with `item`. */
function propertiesOf(b: Uint8Array, iprp: Box, item: number): Box[] {
  const inside = boxesIn(b, iprp.body, iprp.end, 'iprp');
  const ipco = only(inside, 'ipco', 'iprp');
  const properties = boxesIn(b, ipco.body, ipco.end, 'ipco');
  const associated: Box[] = [];
  for (const ipma of inside.filter((box) => box.type === 'ipma')) {
    const { version, flags, read } = fullBox(b, ipma);
    const entries = read.u32();
    for (let e = 0; e < entries; e++) {
      const id = version < 1 ? read.u16() : read.u32();
      const count = read.u8();
      for (let a = 0; a < count; a++) {
        const index = flags & 1 ? read.u16() & 0x7fff : read.u8() & 0x7f;
        if (index > properties.length) throw new Fault(`an item is given property ${index} of ${properties.length}`);
        if (id === item && index > 0) associated.push(properties[index - 1]!);
      }
    }
  }
  return associated;
}

interface Extent {
  item: number;
  method: number;
  offset: number;
  /** 0: to the end of the file (or idat). */
  length: number;
}

function extents(b: Uint8Array, iloc: Box): Extent[] {
  const { version, read } = fullBox(b, iloc);
  if (version > 2) throw new Fault(`iloc is of version ${version}, which does not exist`);
  const sizes = read.u16();
  const [offsetSize, lengthSize, baseSize, indexSize] = [sizes >> 12, (sizes >> 8) & 15, (sizes >> 4) & 15, version > 0 ? sizes & 15 : 0];
  for (const size of [offsetSize, lengthSize, baseSize, indexSize]) if (![0, 4, 8].includes(size)) throw new Fault(`iloc uses ${size}-byte fields`);
  const count = version < 2 ? read.u16() : read.u32();
  const found: Extent[] = [];
  for (let i = 0; i < count; i++) {
    const item = version < 2 ? read.u16() : read.u32();
    const method = version > 0 ? read.u16() & 15 : 0;
    if (read.u16() !== 0) throw new Fault(`item ${item}'s data is in another file`);
    const base = read.uint(baseSize);
    const extentCount = read.u16();
    if (extentCount === 0) throw new Fault(`item ${item} has no data`);
    for (let e = 0; e < extentCount; e++) {
      read.uint(indexSize);
      found.push({ item, method, offset: base + read.uint(offsetSize), length: read.uint(lengthSize) });
    }
  }
  return found;
}

/** Whether `extent` lies within what holds it: the file (method 0) or the idat (method 1). */
function checkExtent(extent: Extent, fileLength: number, idat: Box | undefined): void {
  if (extent.method === 2) return; // data taken from another item, whose own extents are checked
  if (extent.method > 2) throw new Fault(`item ${extent.item} is built in an unknown way (${extent.method})`);
  const [start, end, where] = extent.method === 0 ? [0, fileLength, 'the file'] : idat ? [idat.body, idat.end, 'idat'] : [0, 0, 'an idat the file lacks'];
  const from = start + extent.offset;
  const to = extent.length === 0 ? end : from + extent.length;
  if (from >= end || to > end) throw new Fault(`item ${extent.item}'s data lies outside ${where}`);
}

/**
 * What makes this AVIF damaged (its boxes, its primary item's size, where its items' data
 * lies), or null when its structure is whole.
 */
export function avifFault(b: Uint8Array): string | null {
  try {
    const top = boxesIn(b, 0, b.length, 'the file');
    if (top[0]?.type !== 'ftyp') throw new Fault('the file does not start with ftyp');
    const meta = only(top, 'meta', 'the file');
    const inMeta = boxesIn(b, meta.body + 4, meta.end, 'meta');
    const hdlr = only(inMeta, 'hdlr', 'meta');
    if (hdlr.end - hdlr.body < 12 || ascii(b, hdlr.body + 8, 4) !== 'pict') throw new Fault('meta is not a picture');
    const primary = primaryItem(b, only(inMeta, 'pitm', 'meta'));
    if (!itemIds(b, only(inMeta, 'iinf', 'meta')).has(primary)) throw new Fault(`the primary item ${primary} is not described`);
    const ispe = propertiesOf(b, only(inMeta, 'iprp', 'meta'), primary).find((property) => property.type === 'ispe');
    if (!ispe) throw new Fault('the primary item has no size (ispe)');
    const size = fullBox(b, ispe).read;
    const [width, height] = [size.u32(), size.u32()];
    if (!width || !height) throw new Fault('the primary item is 0 pixels wide or high');
    const idats = inMeta.filter((box) => box.type === 'idat');
    if (idats.length > 1) throw new Fault('meta holds more than one idat');
    const located = extents(b, only(inMeta, 'iloc', 'meta'));
    if (!located.some((extent) => extent.item === primary)) throw new Fault('the primary item has no data');
    for (const extent of located) checkExtent(extent, b.length, idats[0]);
    return null;
  } catch (error) {
    if (error instanceof Fault) return error.message;
    throw error;
  }
}
