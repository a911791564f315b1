/**
 * A real, tiny MP3: MPEG-1 Layer III frames at 128 kbit/s, 44.1 kHz, joint stereo, holding silence
 * (every frame's side information and main data are zero, which decoders play as silence).
 */
const FRAME_HEADER = [0xff, 0xfb, 0x90, 0x64];
// 144 · bitrate / sample rate = 144 · 128000 / 44100 = 417 bytes per frame (no padding).
const FRAME_BYTES = 417;
// 1152 samples per frame at 44.1 kHz: 39 frames are about one second.
const FRAMES = 39;

let cached: Buffer | undefined;

export function silentMp3(): Buffer {
	if (!cached) {
		cached = Buffer.alloc(FRAME_BYTES * FRAMES);
		for (let frame = 0; frame < FRAMES; frame++) {
			cached.set(FRAME_HEADER, frame * FRAME_BYTES);
		}
	}
	return cached;
}
