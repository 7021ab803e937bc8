// Reads a multi-document YAML stream (what `kubectl kustomize` prints) on stdin and validates every
// document against the Kubernetes schema of its apiVersion and kind. Prints one line per document;
// exits 1 when any is unknown or invalid. The operators' custom resources have no schema here: their
// CRDs check them when applied, and KubernetesStoreTests checks the fields the market relies on.
const yaml = require("js-yaml");
const custom = new Set([
  "mongodbcommunity.mongodb.com/v1 MongoDBCommunity",
  "rabbitmq.com/v1beta1 RabbitmqCluster",
  "rabbitmq.com/v1beta1 User",
  "rabbitmq.com/v1beta1 Permission",
]);
const docs = yaml.loadAll(require("fs").readFileSync(0, "utf8")).filter(Boolean);
let failures = 0;
for (const doc of docs) {
  const [group, version] = doc.apiVersion.includes("/") ? doc.apiVersion.split("/") : [null, doc.apiVersion];
  let Model;
  try { Model = require(group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`)[doc.kind]; } catch { Model = undefined; }
  const name = `${doc.kind}/${doc.metadata && doc.metadata.name}`;
  if (custom.has(`${doc.apiVersion} ${doc.kind}`)) { console.log(`CUSTOM ${name}`); continue; }
  if (!Model) { console.log(`UNKNOWN ${doc.apiVersion} ${name}`); failures++; continue; }
  try { new Model(doc).validate(); console.log(`OK ${name}`); }
  catch (e) { console.log(`INVALID ${name}: ${e.message}`); failures++; }
}
console.log(`${docs.length} documents, ${failures} failures`);
process.exit(failures ? 1 : 0);
