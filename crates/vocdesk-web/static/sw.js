// vocdesk's service worker (issue 13), served at /sw.js so that its scope is the site.
//
// - Navigations go to the network first. Offline, the developer's home, inbox and the
//   last ~20 threads they opened are shown from a saved copy (marked, so the page shows
//   its "saved copy from <time>" banner); anything else shows the offline page.
// - Nothing whose Cache-Control says no-store is ever kept: the server decides what may
//   be kept (`private, no-cache` on those pages), this worker only obeys.
// - A form that could not be sent (a reply typed offline) gets the offline page, which
//   says so; app.js kept the text.
// - Push: always shows a notification, sets the app badge; a click opens data.url.
//
// It has no words of its own for people beyond the brand name: the pages carry them.
'use strict';

const SHELL = 'vocdesk-shell-v1';
const PAGES = 'vocdesk-pages-v1';
const META = 'vocdesk-meta-v1';
const KEPT = [SHELL, PAGES, META];
const LANGS = ['ko', 'en'];
const THREADS_KEPT = 20;
const LANG_KEY = '/__vocdesk/lang';
const SHELL_FILES = LANGS.map((lang) => '/offline?lang=' + lang).concat([
  '/static/app.css',
  '/static/app.js',
  '/static/icons/icon-192.png',
]);

// What the server allows to be stored: a plain answer that does not say no-store.
function storable(response) {
  if (!response || !response.ok || response.type !== 'basic') return false;
  const control = response.headers.get('Cache-Control') || '';
  return !/(^|,)\s*no-store\s*(,|$)/i.test(control);
}

// The pages kept for reading offline (the server must also allow it, see storable).
function keepable(url) {
  return url.pathname === '/developer' || url.pathname === '/developer/inquiries' || /^\/inquiries\/[^/]+$/.test(url.pathname);
}

function isThread(key) {
  return /^\/inquiries\/[^/]+$/.test(new URL(key, self.location.origin).pathname);
}

function pageKey(url) {
  return url.pathname + url.search;
}

// A local path only: never another site.
function localPath(value) {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\')
    ? value
    : null;
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((cache) =>
        Promise.all(
          SHELL_FILES.map((path) =>
            fetch(path, { credentials: 'same-origin', cache: 'no-cache' }).then((response) =>
              storable(response) ? cache.put(path, response) : undefined,
            ),
          ),
        ),
      )
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => !KEPT.includes(name)).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

// app.js says which language the person reads, so the offline page is in it.
self.addEventListener('message', (event) => {
  const data = event.data || {};
  if (data.type === 'lang' && LANGS.includes(data.lang)) {
    event.waitUntil(caches.open(META).then((cache) => cache.put(LANG_KEY, new Response(data.lang))));
  }
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    if (request.method === 'GET') {
      event.respondWith(navigate(event, request, url));
    } else {
      // A form: sent as it is; without a network, the offline page says it was not sent.
      event.respondWith(fetch(request).catch(() => offlinePage()));
    }
    return;
  }
  if (request.method === 'GET' && SHELL_FILES.includes(url.pathname)) {
    event.respondWith(fetch(request).catch(() => caches.match(url.pathname).then((hit) => hit || Response.error())));
  }
});

async function navigate(event, request, url) {
  let response;
  try {
    response = await fetch(request);
  } catch (offline) {
    const saved = keepable(url) ? await savedCopy(url) : null;
    return saved || offlinePage();
  }
  if (keepable(url) && !response.redirected && storable(response)) {
    event.waitUntil(save(url, response.clone()));
  }
  return response;
}

// Keeps a page, stamped with the time it was kept; the last THREADS_KEPT threads stay.
async function save(url, response) {
  const cache = await caches.open(PAGES);
  const headers = new Headers(response.headers);
  headers.set('X-Vocdesk-Saved-At', new Date().toISOString());
  const body = await response.blob();
  const key = pageKey(url);
  await cache.delete(key);
  await cache.put(key, new Response(body, { status: response.status, statusText: response.statusText, headers }));
  const threads = (await cache.keys()).map((r) => new URL(r.url)).filter((u) => isThread(u.pathname));
  for (const old of threads.slice(0, Math.max(0, threads.length - THREADS_KEPT))) {
    await cache.delete(pageKey(old));
  }
}

// The saved copy of a page, marked so that its banner shows (see app.css).
async function savedCopy(url) {
  const cache = await caches.open(PAGES);
  const hit = (await cache.match(pageKey(url))) || (await cache.match(url.pathname));
  if (!hit) return null;
  const savedAt = hit.headers.get('X-Vocdesk-Saved-At') || '';
  const text = (await hit.text()).replace('<html ', '<html data-saved-copy="' + savedAt.replace(/[^0-9TZ:.-]/g, '') + '" ');
  const headers = new Headers(hit.headers);
  headers.delete('Content-Length');
  headers.set('X-Vocdesk-Saved-Copy', '1');
  return new Response(text, { status: 200, headers });
}

async function offlinePage() {
  const shell = await caches.open(SHELL);
  const meta = await caches.open(META);
  const said = await meta.match(LANG_KEY);
  const lang = said ? await said.text() : 'ko';
  const order = [lang].concat(LANGS.filter((other) => other !== lang));
  for (const tag of order) {
    const hit = await shell.match('/offline?lang=' + tag);
    if (hit) return hit;
  }
  return new Response('vocdesk: offline', { status: 503, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

// ----- push -----

function setBadge(count) {
  if (typeof count !== 'number' || !('setAppBadge' in self.navigator)) return Promise.resolve();
  const done = count > 0 ? self.navigator.setAppBadge(count) : self.navigator.clearAppBadge();
  return done.catch(() => undefined);
}

self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (notJson) {
    data = {};
  }
  if (!data || typeof data !== 'object') data = {};
  // The brand name reads the same in both languages: the title when the message has none.
  const title = typeof data.title === 'string' && data.title.trim() ? data.title : 'vocdesk';
  const options = {
    body: typeof data.body === 'string' ? data.body : '',
    data: { url: localPath(data.url) || '/developer', kind: typeof data.kind === 'string' ? data.kind : null },
    icon: '/static/icons/icon-192.png',
    badge: '/static/icons/icon-192.png',
  };
  // A repeated topic replaces its notification and rings again (renotify needs a tag).
  if (typeof data.tag === 'string' && data.tag) {
    options.tag = data.tag;
    options.renotify = true;
  }
  event.waitUntil(Promise.all([self.registration.showNotification(title, options), setBadge(data.badge)]));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = localPath(event.notification.data && event.notification.data.url) || '/developer';
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      for (const client of windows) {
        if (new URL(client.url).origin !== self.location.origin) continue;
        const focused = await client.focus();
        try {
          await (focused || client).navigate(url);
        } catch (uncontrolled) {
          await self.clients.openWindow(url);
        }
        return;
      }
      await self.clients.openWindow(url);
    })(),
  );
});
