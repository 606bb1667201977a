// A measurement aid for TestBrowserAPIOrWasm, never served to learners:
// it loads core's neuron lab compiled to WebAssembly (internal/wasmlab)
// and answers the page's fetch of api/neuron from it instead of the
// server, so the unchanged app.js runs on WebAssembly. Fetches wait until
// the module is ready; window.__wasm records when it was.
(function () {
	'use strict';
	const go = new Go();
	const info = { readyMs: null, calls: 0, failed: '' };
	window.__wasm = info;
	const ready = WebAssembly.instantiateStreaming(fetch('wasm/neuron.wasm'), go.importObject).then((r) => {
		go.run(r.instance);
		info.readyMs = performance.now();
	}, (e) => {
		info.failed = String(e);
		throw e;
	});
	const realFetch = window.fetch.bind(window);
	window.fetch = function (input, init) {
		const u = String(input);
		if (!u.startsWith('api/neuron?')) return realFetch(input, init);
		const args = new URLSearchParams(u.slice(u.indexOf('?') + 1)).get('args') || '';
		return ready.then(() => {
			info.calls++;
			const text = window.neurotutorNeuron(args);
			const status = JSON.parse(text).error ? 400 : 200;
			return new Response(text, { status: status, headers: { 'Content-Type': 'application/json; charset=utf-8' } });
		});
	};
})();
