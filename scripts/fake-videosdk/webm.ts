/**
 * The smallest well-formed WebM file: an EBML header declaring DocType "webm" and an empty
 * Segment. Enough for a client to recognise the container; it holds no tracks.
 */
const EBML_HEADER = [
	[0x42, 0x86, 0x81, 0x01], // EBMLVersion 1
	[0x42, 0xf7, 0x81, 0x01], // EBMLReadVersion 1
	[0x42, 0xf2, 0x81, 0x04], // EBMLMaxIDLength 4
	[0x42, 0xf3, 0x81, 0x08], // EBMLMaxSizeLength 8
	[0x42, 0x82, 0x84, ...Buffer.from('webm')], // DocType "webm"
	[0x42, 0x87, 0x81, 0x02], // DocTypeVersion 2
	[0x42, 0x85, 0x81, 0x02], // DocTypeReadVersion 2
].flat();

let cached: Buffer | undefined;

export function emptyWebm(): Buffer {
	cached ??= Buffer.from([
		...[0x1a, 0x45, 0xdf, 0xa3, 0x80 | EBML_HEADER.length, ...EBML_HEADER],
		// Segment with a size of 0.
		...[0x18, 0x53, 0x80, 0x67, 0x80],
	]);
	return cached;
}
