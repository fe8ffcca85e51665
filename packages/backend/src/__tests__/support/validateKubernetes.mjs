// Validates Kubernetes objects (a JSON array on stdin) with the compiled OpenAPI validators of
// kubernetes-models and prints one result per object as JSON. A separate Node process because
// kubernetes-models 5 is published as ES modules only, which jest's CommonJS runtime cannot load.
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const objects = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const results = [];
for (const object of objects) {
  try {
    const mod = await import(
      `kubernetes-models/${object.apiVersion}/${object.kind}`
    );
    new mod[object.kind](object).validate();
    results.push({ ok: true });
  } catch (error) {
    results.push({ ok: false, error: String(error?.message ?? error) });
  }
}
process.stdout.write(JSON.stringify(results));
