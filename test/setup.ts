import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// n8n-core writes its instance settings under N8N_USER_FOLDER (else $HOME): keep tests out of $HOME.
process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-videosdk-test-'));
// n8n-core logs every node error through winston; the tests assert on them instead.
process.env.N8N_LOG_LEVEL ??= 'silent';
// Binary data stays inline in the items (n8n's in-memory "default" mode), so prepareBinaryData needs
// no storage folder and a test can read the bytes back from the item itself.
process.env.N8N_DEFAULT_BINARY_DATA_MODE ??= 'default';
