// Each jest project runs the same files against one n8n major; the harness reads it from here.
process.env.N8N_MAJOR = String((globalThis as { N8N_MAJOR?: unknown }).N8N_MAJOR ?? process.env.N8N_MAJOR ?? '2');
