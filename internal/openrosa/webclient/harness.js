// A host page for ODK Web Forms that behaves like an OpenRosa client: it
// reads tambon's formList, downloads the form and its manifest's media
// (the preload CSVs), renders the form, and POSTs the instance as
// multipart/form-data with xml_submission_file, as ODK clients do.
//
// ?server=/openrosa/key/<token>  the OpenRosa base to use.
import { createApp, h } from 'vue';
import { OdkWebForm, webFormsPlugin } from './node_modules/@getodk/web-forms/dist/index.js';

const status = (s) => { document.getElementById('status').textContent = s; };
const server = new URLSearchParams(location.search).get('server') || '/openrosa';
// Absolute URLs in the form list name the server's host: keep the path so
// that everything stays on this page's origin.
const local = (u) => { const x = new URL(u, location.href); return x.pathname + x.search; };
const xml = async (url) => {
  const r = await fetch(url, { headers: { 'X-OpenRosa-Version': '1.0' } });
  if (!r.ok) throw new Error(`${url}: ${r.status}`);
  return new DOMParser().parseFromString(await r.text(), 'text/xml');
};

try {
  const list = await xml(server + '/formList');
  const item = list.getElementsByTagName('xform')[0];
  const text = (el, name) => el.getElementsByTagName(name)[0]?.textContent ?? '';
  const formXml = await (await fetch(local(text(item, 'downloadUrl')))).text();
  const media = {};
  const manifest = await xml(local(text(item, 'manifestUrl')));
  for (const f of manifest.getElementsByTagName('mediaFile')) {
    media[text(f, 'filename')] = local(text(f, 'downloadUrl'));
  }
  window.tambon = { formID: text(item, 'formID'), media, submissions: [] };
  const fetchFormAttachment = (url) => {
    const name = String(url.href ?? url).split('/').pop();
    return media[name] ? fetch(media[name]) : Promise.resolve(new Response('', { status: 404 }));
  };
  const onSubmit = async (payload, callback) => {
    const body = payload.data[0];
    const r = await fetch(server + '/submission', { method: 'POST', body, headers: { 'X-OpenRosa-Version': '1.0' } });
    const answer = await r.text();
    window.tambon.submissions.push({ status: r.status, body: answer });
    document.getElementById('result').textContent = `${r.status}\n${answer}`;
    callback({});
  };
  createApp({ render: () => h(OdkWebForm, { formXml, fetchFormAttachment, onSubmit }) })
    .use(webFormsPlugin)
    .mount('#app');
  status('ready');
} catch (err) {
  status('failed: ' + err.message);
  throw err;
}
