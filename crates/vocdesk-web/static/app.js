// vocdesk's one script (issue 13). Every page works without it; it only adds:
// the service worker's registration, a reply typed offline that is not lost, the app
// badge, and the push subscription of /settings/devices. It has no words of its own:
// what it shows comes from the page (hidden elements, data- attributes).
(function () {
  'use strict';
  var root = document.documentElement;

  // ----- the service worker -----
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(function () {});
    navigator.serviceWorker.ready
      .then(function (registration) {
        // The offline page is shown in the language the person reads.
        if (registration.active) registration.active.postMessage({ type: 'lang', lang: root.lang });
      })
      .catch(function () {});
  }

  // ----- a reply typed offline (kept on submit, back in the box, gone once posted) -----
  function normal(text) {
    return String(text || '').replace(/\r\n/g, '\n').trim();
  }
  function store(key, value) {
    try {
      if (value === null) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, value);
    } catch (unavailable) {}
  }
  function read(key) {
    try {
      return window.localStorage.getItem(key);
    } catch (unavailable) {
      return null;
    }
  }
  var form = document.getElementById('reply-form');
  var box = form && form.querySelector('textarea[name=body]');
  if (box) {
    var key = 'vocdesk-draft:' + location.pathname;
    var draft = read(key);
    if (draft) {
      var posted = Array.prototype.some.call(document.querySelectorAll('.message-body'), function (message) {
        return normal(message.textContent) === normal(draft);
      });
      if (posted) store(key, null);
      else if (!box.value) box.value = draft;
    }
    form.addEventListener('submit', function () {
      if (normal(box.value)) store(key, box.value);
    });
  }
  // The offline page answering a reply that could not be sent.
  var notSent = document.getElementById('reply-not-sent');
  var thread = location.pathname.match(/^\/inquiries\/([^/]+)\/messages$/);
  if (notSent && thread) {
    notSent.hidden = false;
    // Not "this page has no saved copy", and no "try again" (that would not resend).
    ['offline-text', 'offline-retry-line'].forEach(function (id) {
      var element = document.getElementById(id);
      if (element) element.hidden = true;
    });
    var back = document.getElementById('back-to-thread');
    if (back) back.href = '/inquiries/' + thread[1] + '#reply-form';
  }

  // ----- the app badge: what a page counts as owed (not from a saved copy) -----
  var owed = document.querySelector('[data-owed-count]');
  if (owed && !root.hasAttribute('data-saved-copy') && 'setAppBadge' in navigator) {
    var count = parseInt(owed.getAttribute('data-owed-count'), 10) || 0;
    (count > 0 ? navigator.setAppBadge(count) : navigator.clearAppBadge()).catch(function () {});
  }

  // ----- push: the subscribe button of /settings/devices -----
  function fromBase64Url(text) {
    var base64 = (text + '==='.slice((text.length + 3) % 4)).replace(/-/g, '+').replace(/_/g, '/');
    var raw = window.atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }
  var button = document.getElementById('push-enable');
  var subscribeForm = document.getElementById('push-subscribe-form');
  if (button && subscribeForm && 'serviceWorker' in navigator && 'PushManager' in window) {
    button.hidden = false;
    var message = document.getElementById('push-message');
    var say = function (which) {
      if (!message) return;
      message.textContent = message.getAttribute('data-' + which) || '';
      message.hidden = false;
      button.insertAdjacentElement('afterend', message);
    };
    var fill = function (name, value) {
      var input = subscribeForm.querySelector('input[name="' + name + '"]');
      if (input) input.value = value || '';
    };
    button.addEventListener('click', function () {
      Promise.resolve(window.Notification ? Notification.requestPermission() : 'denied')
        .then(function (permission) {
          if (permission !== 'granted') {
            say('refused');
            return null;
          }
          return navigator.serviceWorker.ready.then(function (registration) {
            return registration.pushManager.subscribe({
              userVisibleOnly: true,
              applicationServerKey: fromBase64Url(button.getAttribute('data-vapid-key') || ''),
            });
          });
        })
        .then(function (subscription) {
          if (!subscription) return;
          var json = subscription.toJSON();
          fill('endpoint', json.endpoint);
          fill('p256dh', json.keys && json.keys.p256dh);
          fill('auth', json.keys && json.keys.auth);
          subscribeForm.submit();
        })
        .catch(function () {
          say('failed');
        });
    });
  }
})();
