// The portal's side of a dropped connection (the circuit is the page's only link to the server):
//  - the reconnect dialog speaks Chinese (blazor.web.js drives #components-reconnect-modal: it sets
//    its state classes and raises components-reconnect-state-changed on it);
//  - what a user types into a form is kept in this tab (sessionStorage, per page address) as it is
//    typed, so a page that has to be reloaded — the server no longer knows the circuit — gets it back;
//  - leaving a page with input that was not submitted asks first (a link in the portal, or closing
//    or reloading the tab).
// Passwords, files and search boxes are never kept, nor anything on a page that is not interactive
// (the sign-in form). A page's kept input lasts while the user stays on it — reloads included — and
// is dropped when they go to another page (after a submit that led there, or answering "leave").
(() => {
    "use strict";

    const storePrefix = "xxm-form:";
    const leaveQuestion = "您填写的内容尚未提交，确定离开此页吗？";
    let submitted = false;
    let restoring = false;
    let page = pageKey();

    function pageKey() {
        return storePrefix + location.pathname + location.search;
    }

    function keepable(element) {
        if (!(element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement || element instanceof HTMLSelectElement)) return false;
        const form = element.closest("form");
        if (!form || form.matches(".portal-search, [role=search]") || element.closest("[data-no-keep]")) return false;
        const type = (element.getAttribute("type") || "").toLowerCase();
        return !["password", "file", "hidden", "submit", "button", "reset", "image"].includes(type);
    }

    // a field's name on its page: its id, else its name or label, with its place among the fields that
    // share it (the rows of a list); a field with neither is not kept (a place alone shifts as the form changes)
    function baseKey(element) {
        if (element.id) return "#" + element.id;
        const name = element.name || element.dataset.testid || element.getAttribute("aria-label") || element.getAttribute("placeholder");
        return name ? "@" + name : null;
    }

    function fields() {
        const seen = new Map();
        const found = [];
        for (const element of document.querySelectorAll("form input, form textarea, form select")) {
            if (!keepable(element)) continue;
            const base = baseKey(element);
            if (base === null) continue;
            const n = seen.get(base) || 0;
            seen.set(base, n + 1);
            found.push([element, n === 0 ? base : base + ":" + n]);
        }
        return found;
    }

    function fieldKey(element) {
        const pair = fields().find(([e]) => e === element);
        return pair ? pair[1] : null;
    }

    function read() {
        try {
            return JSON.parse(sessionStorage.getItem(page) || "{}");
        } catch {
            return {};
        }
    }

    function write(fields) {
        try {
            if (Object.keys(fields).length === 0) sessionStorage.removeItem(page);
            else sessionStorage.setItem(page, JSON.stringify(fields));
        } catch {
            // storage full or switched off: the page works as before, without the safety net
        }
    }

    function valueOf(element) {
        if (element instanceof HTMLInputElement && (element.type === "checkbox" || element.type === "radio")) return element.checked;
        return element.value;
    }

    function keep(event) {
        const element = event.target;
        if (restoring || !keepable(element) || !live()) return;
        const key = fieldKey(element);
        if (key === null) return;
        const kept = read();
        kept[key] = valueOf(element);
        write(kept);
        submitted = false;
    }

    function live() {
        // MainLayout says whether the page runs in its circuit
        return document.querySelector("[data-interactive=true]") !== null;
    }

    function forget() {
        try { sessionStorage.removeItem(page); } catch { /* nothing kept */ }
        submitted = false;
    }

    // input typed here and not sent: a kept value a field still shows (a form that posted and cleared
    // itself shows none), unless a form was submitted since the last keystroke
    function unsaved() {
        if (submitted) return false;
        const kept = read();
        return fields().some(([element, key]) => key in kept && kept[key] !== "" && kept[key] !== false && valueOf(element) === kept[key]);
    }

    // puts the kept input back into the fields the page has, as if typed (the components hear of it)
    function restore() {
        const kept = read();
        if (Object.keys(kept).length === 0) return 0;
        let restored = 0;
        restoring = true;
        try {
            for (const [element, key] of fields()) {
                if (!(key in kept) || valueOf(element) === kept[key]) continue;
                if (typeof kept[key] === "boolean") element.checked = kept[key];
                else element.value = kept[key];
                element.dispatchEvent(new Event("input", { bubbles: true }));
                element.dispatchEvent(new Event("change", { bubbles: true }));
                restored++;
            }
        } finally {
            restoring = false;
        }
        return restored;
    }

    // said outside the components' markup (the renderer owns what is inside it), for a few seconds
    function announceRestored() {
        const notice = document.createElement("p");
        notice.className = "portal-restored";
        notice.setAttribute("role", "status");
        notice.textContent = "已恢复您在此页尚未提交的输入。";
        document.body.append(notice);
        setTimeout(() => notice.remove(), 8000);
    }

    // once the page is interactive and has stopped changing (a form that loads what it edits fills
    // itself in first), the kept input goes back; again after each pass that changed something, since
    // a field can bring others (the kind of a listing brings its price or its budget)
    function restoreWhenSettled() {
        const started = Date.now();
        let quietSince = Date.now();
        let passes = 0;
        let restored = 0;
        const observer = new MutationObserver(() => { quietSince = Date.now(); });
        observer.observe(document.body, { childList: true, subtree: true, attributes: true });
        const stop = () => {
            clearInterval(timer);
            observer.disconnect();
            if (restored > 0) announceRestored();
        };
        const timer = setInterval(() => {
            if (Date.now() - started > 15000) return stop();
            if (!live() || Date.now() - quietSince < 300) return;
            const now = restore();
            restored += now;
            passes++;
            if (now === 0 || passes >= 3) return stop();
            quietSince = Date.now();
        }, 100);
    }

    function pageChanged() {
        const now = pageKey();
        if (now === page) return;
        // gone to another page: after a submit that led there, by a confirmed link, or by a button of the page
        forget();
        page = now;
        restoreWhenSettled();
    }

    document.addEventListener("input", keep, true);
    document.addEventListener("change", keep, true);
    document.addEventListener("submit", event => {
        if (event.target instanceof HTMLFormElement) submitted = true;
    }, true);

    // a link inside the portal (the router handles it without unloading the page)
    document.addEventListener("click", event => {
        if (event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
        const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
        if (!link || link.target === "_blank" || link.hasAttribute("download")) return;
        const to = new URL(link.href, location.href);
        if (to.origin !== location.origin || (to.pathname === location.pathname && to.search === location.search) || !unsaved()) return;
        if (!window.confirm(leaveQuestion)) {
            event.preventDefault();
            event.stopImmediatePropagation();
        }
    }, true);

    // closing or reloading the tab; a form's own post (it is leaving with its input) and a reload the
    // connection needs (below) do not ask
    let reloading = false;
    window.addEventListener("beforeunload", event => {
        if (reloading || !unsaved()) return;
        event.preventDefault();
        event.returnValue = "";
    });

    // the router changes the address with pushState; the back button with popstate
    for (const name of ["pushState", "replaceState"]) {
        const original = history[name];
        history[name] = function (...args) {
            const result = original.apply(this, args);
            pageChanged();
            return result;
        };
    }
    window.addEventListener("popstate", pageChanged);

    function reload() {
        reloading = true;
        location.reload();
    }

    function connection() {
        const dialog = document.getElementById("components-reconnect-modal");
        if (!dialog) return;
        async function retry() {
            document.removeEventListener("visibilitychange", retryWhenVisible);
            try {
                // true: back on the same circuit; false: the server no longer knows it
                if (await Blazor.reconnect()) return;
                if (await Blazor.resumeCircuit()) dialog.close();
                else reload();
            } catch {
                document.addEventListener("visibilitychange", retryWhenVisible);
            }
        }
        async function resume() {
            try {
                if (!(await Blazor.resumeCircuit())) reload();
            } catch {
                reload();
            }
        }
        async function retryWhenVisible() {
            if (document.visibilityState === "visible") await retry();
        }
        dialog.addEventListener("components-reconnect-state-changed", event => {
            const state = event.detail.state;
            // the server no longer knows this page: a fresh one, with the kept input put back
            if (state === "rejected" || (state === "resume-failed" && event.detail.remote === true)) {
                reload();
                return;
            }
            if (state === "hide") {
                if (dialog.open) dialog.close();
                return;
            }
            if (!dialog.open) dialog.showModal();
            if (state === "failed") document.addEventListener("visibilitychange", retryWhenVisible);
        });
        document.getElementById("components-reconnect-button")?.addEventListener("click", retry);
        document.getElementById("components-resume-button")?.addEventListener("click", resume);
        // Escape must not hide a dialog that only the connection can end
        dialog.addEventListener("cancel", event => event.preventDefault());
    }

    connection();
    restoreWhenSettled();
})();
