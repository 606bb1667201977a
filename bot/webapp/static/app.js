// Neurotutor's Mini App: the labs' page.
//
// Every number on the page comes from the server's JSON API
// (api/<lab>?args=…), computed by the bot's Go core; this script only draws
// and formats. The charts are drawn by hand on <canvas>: a few hundred
// lines, no dependency, nothing the Content-Security-Policy has to allow,
// and full control of dashes, ticks and taps.
'use strict';

(function () {
	const tg = window.Telegram && window.Telegram.WebApp ? window.Telegram.WebApp : null;
	const initData = tg && typeof tg.initData === 'string' ? tg.initData : '';
	const dev = document.body.dataset.dev === 'true';
	const LABS = ['neuron', 'posenc', 'attention', 'seed'];

	// Counters for tests and for measuring: requests sent, answers
	// received, changes waiting to be sent (deferred), pictures drawn
	// (performance.now() of the first and last).
	// fetchMs and drawMs add up the time from sending a request to its
	// answer's JSON, and the time spent drawing. layout has the heatmaps'
	// geometry, so a test can tap a given cell.
	const stats = {
		requests: 0, responses: 0, deferred: 0, redraws: 0, errors: 0, firstDrawMs: null, lastDrawMs: null,
		fetchMs: 0, drawMs: 0, layout: {},
	};
	window.__labStats = stats;

	const $ = (id) => document.getElementById(id);
	const el = (tag, cls, text) => {
		const e = document.createElement(tag);
		if (cls) e.className = cls;
		if (text !== undefined) e.textContent = text;
		return e;
	};

	// ---- Numbers for people, as the chat writes them: a decimal point,
	// a real minus sign, thousands grouped by a no-break space from five
	// digits on, no e-notation (2.32·10⁻¹⁶ instead).

	const MINUS = '\u2212';
	const NBSP = '\u00a0';

	function minus(s) {
		return s.charAt(0) === '-' ? MINUS + s.slice(1) : s;
	}

	function group(s) {
		let sign = '';
		if (s.charAt(0) === '-') {
			sign = '-';
			s = s.slice(1);
		}
		const dot = s.indexOf('.');
		const int = dot < 0 ? s : s.slice(0, dot);
		const frac = dot < 0 ? '' : s.slice(dot);
		if (int.length < 5) return sign + s;
		let out = '';
		for (let i = 0; i < int.length; i++) {
			if (i > 0 && (int.length - i) % 3 === 0) out += NBSP;
			out += int.charAt(i);
		}
		return sign + out + frac;
	}

	function superscript(n) {
		const digits = '⁰¹²³⁴⁵⁶⁷⁸⁹';
		let s = n < 0 ? '⁻' : '';
		for (const c of String(Math.abs(n))) s += digits.charAt(+c);
		return s;
	}

	// num writes v with up to sig significant digits (4 by default):
	// 0.9526, −1, 10 000, 2.32·10⁻¹⁶.
	function num(v, sig) {
		sig = sig || 4;
		if (v === 0) return '0';
		if (Number.isNaN(v)) return 'NaN';
		if (v === Infinity) return '∞';
		if (v === -Infinity) return MINUS + '∞';
		const e = v.toExponential(sig - 1);
		const at = e.indexOf('e');
		let mant = e.slice(0, at);
		const exp = +e.slice(at + 1);
		if (exp < -4 || exp > 8) {
			if (mant.indexOf('.') >= 0) mant = mant.replace(/0+$/, '').replace(/\.$/, '');
			return minus(mant) + '·10' + superscript(exp);
		}
		return minus(group(String(Number(e))));
	}

	// fixed writes v with exactly d decimals, never "−0.000".
	function fixed(v, d) {
		let s = v.toFixed(d);
		if (/^-[0.]+$/.test(s)) s = s.slice(1);
		return minus(group(s));
	}

	// paren writes a negative number in parentheses, as in 2·(−3).
	function paren(v) {
		return v < 0 ? '(' + num(v) + ')' : num(v);
	}

	const SUB = '₀₁₂₃₄₅₆₇₈₉';
	function sub(n) {
		let s = '';
		for (const c of String(n)) s += SUB.charAt(+c);
		return s;
	}

	// ---- Theme: Telegram's themeParams, else the CSS variables (which
	// hold Telegram's --tg-theme-* or the light fallbacks).

	let palette = null;

	function colors() {
		if (!palette) palette = readColors();
		return palette;
	}

	function readColors() {
		const cs = getComputedStyle(document.documentElement);
		const tp = (tg && tg.themeParams) || {};
		const pick = (key, cssVar) => tp[key] || cs.getPropertyValue(cssVar).trim() || '#000000';
		return {
			bg: pick('bg_color', '--c-bg'),
			text: pick('text_color', '--c-text'),
			hint: pick('hint_color', '--c-hint'),
			link: pick('link_color', '--c-link'),
			button: pick('button_color', '--c-button'),
			bg2: pick('secondary_bg_color', '--c-bg2'),
			point: cs.getPropertyValue('--c-point').trim() || '#e8590c',
		};
	}

	// luminance of a #rrggbb colour in 0..1 (rough, for choosing text on
	// a cell and the colour scheme of form controls).
	function luminance(hex) {
		const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(hex || '');
		if (!m) return 1;
		return (0.2126 * parseInt(m[1], 16) + 0.7152 * parseInt(m[2], 16) + 0.0722 * parseInt(m[3], 16)) / 255;
	}

	function applyScheme() {
		palette = null;
		const dark = tg && tg.colorScheme ? tg.colorScheme === 'dark' : luminance(colors().bg) < 0.5;
		document.documentElement.style.colorScheme = dark ? 'dark' : 'light';
	}

	// ---- Canvas helpers.

	let family = '';

	function fontFamily() {
		if (!family) family = getComputedStyle(document.body).fontFamily || 'sans-serif';
		return family;
	}

	function font(px, weight) {
		return (weight ? weight + ' ' : '') + px + 'px ' + fontFamily();
	}

	// prepare sizes canvas to its box's width and height CSS pixels, sharp
	// on any devicePixelRatio, and returns its 2D context in CSS pixels.
	// boxWidth is the CSS width of a canvas's box, read from the layout
	// only when a ResizeObserver says it changed: a slider's redraw then
	// forces no layout.
	const widths = new Map();
	const watcher = typeof ResizeObserver === 'function' ? new ResizeObserver((entries) => {
		for (const e of entries) widths.delete(e.target);
	}) : null;

	function boxWidth(canvas) {
		const box = canvas.parentElement;
		let w = widths.get(box);
		if (w === undefined || !watcher) {
			w = box.clientWidth;
			if (watcher && w > 0) {
				widths.set(box, w);
				watcher.observe(box);
			}
		}
		return w;
	}

	function prepare(canvas, height) {
		const w = Math.max(1, Math.floor(boxWidth(canvas)));
		const dpr = window.devicePixelRatio || 1;
		canvas.style.height = height + 'px';
		const W = Math.round(w * dpr);
		const H = Math.round(height * dpr);
		if (canvas.width !== W) canvas.width = W;
		if (canvas.height !== H) canvas.height = H;
		const ctx = canvas.getContext('2d');
		ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
		ctx.clearRect(0, 0, w, height);
		return { ctx: ctx, w: w, h: height };
	}

	// niceStep is a round step (1, 2, 2.5 or 5 times a power of ten) that
	// splits span into about count parts.
	function niceStep(span, count) {
		const raw = span / Math.max(1, count);
		const p = Math.pow(10, Math.floor(Math.log10(raw)));
		const m = raw / p;
		return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10) * p;
	}

	function tickLabel(v, step) {
		if (v === 0) return '0';
		if (Math.abs(v) >= 1e7 || step < 1e-4) return num(v, 3);
		const p = Math.floor(Math.log10(step) + 1e-9);
		const m = Math.round(step / Math.pow(10, p) * 10) / 10;
		return fixed(v, Math.max(0, -p + (m === 2.5 ? 1 : 0)));
	}

	// ticks chooses round tick values in lo..hi whose labels keep at
	// least gap pixels apart along an axis of pixels pixels; size(label)
	// is a label's extent along the axis.
	function ticks(lo, hi, pixels, gap, size) {
		for (let count = Math.max(1, Math.floor(pixels / 30)); count >= 1; count--) {
			const step = niceStep(hi - lo, count);
			const values = [];
			const first = Math.ceil(lo / step - 1e-9);
			for (let i = first; i * step <= hi + step * 1e-9 && values.length < 60; i++) {
				values.push(Math.abs(i * step) < step * 1e-9 ? 0 : i * step);
			}
			const labels = values.map((v) => tickLabel(v, step));
			let widest = 0;
			for (const l of labels) widest = Math.max(widest, size(l));
			if (widest + gap <= pixels * step / (hi - lo) || count === 1) return { values: values, labels: labels };
		}
		return { values: [], labels: [] };
	}

	// integerTicks picks every k-th of 0..n−1 (k from 1, 2, 5, 10, …)
	// so that neighbours keep gap pixels apart when one unit is unit pixels.
	function integerTicks(n, unit, gap) {
		const steps = [1, 2, 4, 5, 8, 10, 16, 20, 25, 32, 50, 64, 100, 128, 200, 256];
		let k = steps[steps.length - 1];
		for (const s of steps) {
			if (s * unit >= gap) {
				k = s;
				break;
			}
		}
		const out = [];
		for (let i = 0; i < n; i += k) out.push(i);
		return out;
	}

	function clamp(v, lo, hi) {
		return Math.max(lo, Math.min(hi, v));
	}

	// Diverging palette for −1 … 1: blue, white, red (ColorBrewer RdBu).
	const RDBU = [[33, 102, 172], [146, 197, 222], [247, 247, 247], [244, 165, 130], [178, 24, 43]];
	// Sequential palette for 0 … max: white to dark blue (ColorBrewer Blues).
	const BLUES = [[247, 251, 255], [198, 219, 239], [107, 174, 214], [33, 113, 181], [8, 48, 107]];

	function ramp(stops, t) {
		t = clamp(t, 0, 1) * (stops.length - 1);
		const i = Math.min(stops.length - 2, Math.floor(t));
		const u = t - i;
		const a = stops[i];
		const b = stops[i + 1];
		return [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * u));
	}

	function rgb(c) {
		return 'rgb(' + c[0] + ',' + c[1] + ',' + c[2] + ')';
	}

	// heat draws a matrix of colours (colorOf(row, col) → [r, g, b]) into
	// the rectangle x, y, w, h, one crisp block per cell.
	function heat(ctx, rows, cols, colorOf, x, y, w, h) {
		const off = document.createElement('canvas');
		off.width = cols;
		off.height = rows;
		const octx = off.getContext('2d');
		const img = octx.createImageData(cols, rows);
		for (let r = 0; r < rows; r++) {
			for (let c = 0; c < cols; c++) {
				const k = (r * cols + c) * 4;
				const col = colorOf(r, c);
				img.data[k] = col[0];
				img.data[k + 1] = col[1];
				img.data[k + 2] = col[2];
				img.data[k + 3] = 255;
			}
		}
		octx.putImageData(img, 0, 0);
		ctx.imageSmoothingEnabled = false;
		ctx.drawImage(off, x, y, w, h);
	}

	// colourBar draws a horizontal bar of stops at x, y with labels below.
	function colourBar(ctx, stops, x, y, w, labels, col) {
		const g = ctx.createLinearGradient(x, 0, x + w, 0);
		stops.forEach((s, i) => g.addColorStop(i / (stops.length - 1), rgb(s)));
		ctx.fillStyle = g;
		ctx.fillRect(x, y, w, 10);
		ctx.strokeStyle = col.hint;
		ctx.lineWidth = 1;
		ctx.strokeRect(x + 0.5, y + 0.5, w - 1, 9);
		ctx.fillStyle = col.text;
		ctx.textBaseline = 'top';
		for (const l of labels) {
			const tw = ctx.measureText(l.text).width;
			ctx.textAlign = 'left';
			ctx.fillText(l.text, clamp(x + l.at * w - tw / 2, 0, x + w - tw), y + 13);
		}
	}

	// ---- Talking to the server. A change marks the lab dirty and its
	// state is sent at once; up to MAX_IN_FLIGHT requests fly together,
	// spaced by a share of the measured round trip, so that on a slow link
	// a dragged slider is redrawn several times per round trip rather than
	// once. Nothing queues: while every slot is taken, only the latest
	// state waits, and it leaves with the next answer. Answers may overtake
	// each other; one older than an answer already taken is dropped.

	const MAX_IN_FLIGHT = 4;

	function showError(node, text) {
		if (!node) return;
		node.textContent = text;
		node.hidden = text === '';
	}

	function drawn() {
		stats.redraws++;
		stats.lastDrawMs = performance.now();
		if (stats.firstDrawMs === null) stats.firstDrawMs = stats.lastDrawMs;
		document.dispatchEvent(new Event('labdrawn'));
	}

	function makeLab(name, build, render, adopt) {
		const lab = {
			name: name, data: null, raw: '', dirty: false, initial: null, keepError: false, started: false,
			inFlight: 0, sent: 0, answered: 0, lastSend: -Infinity, rtt: 0, timer: 0,
		};
		const errNode = $(name + '-error');
		lab.update = function () {
			lab.dirty = true;
			lab.keepError = false;
			pump();
		};
		lab.start = function (args) {
			lab.started = true;
			lab.initial = args ? args : null;
			lab.dirty = true;
			pump();
		};
		lab.draw = function () {
			if (lab.data && !$('page-' + name).hidden) {
				const t0 = performance.now();
				render(lab.data, lab.raw);
				stats.drawMs += performance.now() - t0;
				drawn();
			}
		};
		// pump sends the dirty state if a slot is free and the last
		// request left long enough ago (a quarter of the round trip while
		// others fly; at once when none does), or comes back when it has.
		function pump() {
			if (!lab.dirty || lab.inFlight >= MAX_IN_FLIGHT || lab.timer) return;
			const gap = lab.inFlight === 0 ? 0 : lab.rtt / MAX_IN_FLIGHT;
			const wait = lab.lastSend + gap - performance.now();
			if (wait > 0) {
				stats.deferred++;
				lab.timer = setTimeout(() => {
					stats.deferred--;
					lab.timer = 0;
					pump();
				}, wait);
				return;
			}
			send();
		}
		function send() {
			const initial = lab.initial;
			lab.initial = null;
			lab.dirty = false;
			lab.inFlight++;
			const seq = ++lab.sent;
			stats.requests++;
			const args = initial !== null ? initial : build();
			const t0 = performance.now();
			lab.lastSend = t0;
			const headers = {};
			if (initData) headers['X-Telegram-Init-Data'] = initData;
			fetch('api/' + name + '?args=' + encodeURIComponent(args), { headers: headers, cache: 'no-store' })
				.then((r) => r.text().then((text) => ({ ok: r.ok, status: r.status, text: text })))
				.then((res) => {
					stats.responses++;
					const ms = performance.now() - t0;
					stats.fetchMs += ms;
					lab.rtt = lab.rtt ? 0.8 * lab.rtt + 0.2 * ms : ms;
					lab.inFlight--;
					if (seq < lab.answered) {
						pump();
						return;
					}
					lab.answered = seq;
					// The link's parameters are adopted only if nothing
					// was asked after them.
					const adoptIt = initial !== null && adopt && !lab.dirty && seq === lab.sent;
					let body = null;
					try {
						body = JSON.parse(res.text);
					} catch (e) {
						body = null;
					}
					const good = res.ok && body && !body.error;
					if (!good && initial !== null) {
						// The link's parameters were refused: keep saying
						// why, and show the controls' own state meanwhile.
						lab.keepError = true;
						lab.dirty = true;
					}
					pump();
					if (good) {
						if (adoptIt) adopt(body, res.text);
						lab.data = body;
						lab.raw = res.text;
						if (!lab.keepError) showError(errNode, '');
						lab.draw();
						return;
					}
					stats.errors++;
					showError(errNode, body && body.error ? body.error : 'Сервер ответил ошибкой ' + res.status + '. Попробуйте ещё раз.');
				}, () => {
					stats.errors++;
					lab.inFlight--;
					showError(errNode, 'Нет связи с сервером. Проверьте интернет и попробуйте ещё раз.');
					pump();
				});
		}
		return lab;
	}

	// ---- Нейрон.

	const MAX_INPUTS = 8;
	const nState = { w: ['0.5', '1'], x: ['2', '3'], b: '-1', f: 'sigmoid' };
	const F_NAME = { sigmoid: 'σ', step: 'step', tanh: 'tanh', relu: 'ReLU', linear: '' };

	function setRange(input, value, lo, hi) {
		const v = Number(value);
		input.min = String(Math.min(lo, Math.floor(v)));
		input.max = String(Math.max(hi, Math.ceil(v)));
		input.value = value;
	}

	function sliderLabel(name, id, value, lo, hi, onInput) {
		const label = el('label');
		const head = el('span', 'ctl-name');
		head.append(name + ' = ');
		const out = el('output', '', num(Number(value)));
		head.append(out);
		const input = el('input');
		input.type = 'range';
		input.id = id;
		input.step = '0.1';
		setRange(input, value, lo, hi);
		input.addEventListener('input', () => {
			out.textContent = num(Number(input.value));
			onInput(input.value);
		});
		label.append(head, input);
		return label;
	}

	function buildNeuronInputs() {
		const box = $('neuron-inputs');
		box.textContent = '';
		nState.w.forEach((w, i) => {
			const row = el('fieldset', 'input-row');
			row.append(el('legend', '', 'Вход ' + (i + 1)));
			row.append(sliderLabel('w' + sub(i + 1), 'w' + i, w, -5, 5, (v) => {
				nState.w[i] = v;
				neuron.update();
			}));
			row.append(sliderLabel('x' + sub(i + 1), 'x' + i, nState.x[i], -5, 5, (v) => {
				nState.x[i] = v;
				neuron.update();
			}));
			box.append(row);
		});
		$('neuron-add').disabled = nState.w.length >= MAX_INPUTS;
		$('neuron-remove').disabled = nState.w.length <= 1;
	}

	function neuronArgs() {
		return 'w=' + nState.w.join(',') + ' x=' + nState.x.join(',') + ' b=' + nState.b + ' f=' + nState.f;
	}

	function adoptNeuron(d) {
		nState.w = d.w.map(String);
		nState.x = d.x.map(String);
		nState.b = String(d.b);
		nState.f = d.f;
		buildNeuronInputs();
		setRange($('b'), nState.b, -10, 10);
		$('b-val').textContent = num(d.b);
		$('f').value = d.f;
	}

	function yOf(f, arg) {
		return f === 'linear' ? 'y = z' : 'y = ' + F_NAME[f] + '(' + num(arg) + ')';
	}

	function renderNeuron(d) {
		drawNeuron(d);
		$('neuron-f-name').textContent = yOf(d.f, d.z);
		$('neuron-y').textContent = num(d.y);

		const steps = $('neuron-steps');
		steps.textContent = '';
		const terms = d.w.map((w, i) => paren(w) + '·' + paren(d.x[i]));
		let sum = 'Σ = ' + terms.join(' + ');
		if (d.products.length > 1) sum += ' = ' + d.products.map(paren).join(' + ');
		sum += ' = ' + num(d.sum);
		steps.append(el('li', '', sum));
		const sign = d.b < 0 ? MINUS : '+';
		steps.append(el('li', '', 'z = Σ + b = ' + num(d.sum) + ' ' + sign + ' ' + num(Math.abs(d.b)) + ' = ' + num(d.z)));
		let y = yOf(d.f, d.z) + ' = ' + num(d.y);
		if (d.f === 'linear') y = 'y = z = ' + num(d.y);
		if (d.f === 'step') y += ' (1, если z ≥ 0, иначе 0)';
		steps.append(el('li', '', y));
		let nb = 'Без смещения: ' + (d.f === 'linear' ? 'y = Σ' : yOf(d.f, d.sum)) + ' = ' + num(d.y_nobias) + '. ';
		if (d.b > 0) nb += 'Положительное b сдвинуло кривую влево: нейрону легче сработать.';
		else if (d.b < 0) nb += 'Отрицательное b сдвинуло кривую вправо: нейрону труднее сработать.';
		else nb = 'b = 0: смещения нет, обе кривые совпадают.';
		steps.append(el('li', 'muted', nb));
	}

	function drawNeuron(d) {
		const canvas = $('neuron-chart');
		const width = boxWidth(canvas);
		const { ctx, w, h } = prepare(canvas, Math.round(clamp(width * 0.56, 170, 260)));
		const col = colors();
		ctx.font = font(12);

		const xs = d.curve.sum;
		const lo = xs[0];
		const hi = xs[xs.length - 1];
		let ylo = Math.min(d.y, d.y_nobias);
		let yhi = Math.max(d.y, d.y_nobias);
		for (const arr of [d.curve.y, d.curve.y_nobias]) {
			for (const v of arr) {
				if (v < ylo) ylo = v;
				if (v > yhi) yhi = v;
			}
		}
		if (yhi - ylo < 1e-9) {
			ylo -= 1;
			yhi += 1;
		}
		const pad = (yhi - ylo) * 0.08;
		ylo -= pad;
		yhi += pad;

		const top = 10;
		const bottom = 22;
		const ph = h - top - bottom;
		const yt = ticks(ylo, yhi, ph, 8, () => 12);
		let left = 0;
		for (const l of yt.labels) left = Math.max(left, ctx.measureText(l).width);
		left = Math.ceil(left) + 10;
		const right = 10;
		const pw = w - left - right;
		const xt = ticks(lo, hi, pw, 14, (l) => ctx.measureText(l).width);
		const X = (v) => left + (v - lo) / (hi - lo) * pw;
		const Y = (v) => top + (yhi - v) / (yhi - ylo) * ph;

		// Grid, zero lines, frame.
		ctx.lineWidth = 1;
		ctx.strokeStyle = col.hint;
		ctx.globalAlpha = 0.25;
		ctx.beginPath();
		for (const v of xt.values) {
			ctx.moveTo(Math.round(X(v)) + 0.5, top);
			ctx.lineTo(Math.round(X(v)) + 0.5, top + ph);
		}
		for (const v of yt.values) {
			ctx.moveTo(left, Math.round(Y(v)) + 0.5);
			ctx.lineTo(left + pw, Math.round(Y(v)) + 0.5);
		}
		ctx.stroke();
		ctx.globalAlpha = 0.8;
		ctx.strokeStyle = col.text;
		ctx.beginPath();
		if (lo < 0 && hi > 0) {
			ctx.moveTo(Math.round(X(0)) + 0.5, top);
			ctx.lineTo(Math.round(X(0)) + 0.5, top + ph);
		}
		if (ylo < 0 && yhi > 0) {
			ctx.moveTo(left, Math.round(Y(0)) + 0.5);
			ctx.lineTo(left + pw, Math.round(Y(0)) + 0.5);
		}
		ctx.stroke();
		ctx.globalAlpha = 0.5;
		ctx.strokeStyle = col.hint;
		ctx.strokeRect(left + 0.5, top + 0.5, pw - 1, ph - 1);
		ctx.globalAlpha = 1;

		// Tick labels.
		ctx.fillStyle = col.text;
		ctx.textAlign = 'right';
		ctx.textBaseline = 'middle';
		yt.values.forEach((v, i) => ctx.fillText(yt.labels[i], left - 6, clamp(Y(v), top + 6, top + ph - 6)));
		ctx.textAlign = 'left';
		ctx.textBaseline = 'top';
		xt.values.forEach((v, i) => {
			const tw = ctx.measureText(xt.labels[i]).width;
			ctx.fillText(xt.labels[i], clamp(X(v) - tw / 2, 0, w - tw), top + ph + 5);
		});

		// Curves, clipped to the plot.
		ctx.save();
		ctx.beginPath();
		ctx.rect(left, top, pw, ph);
		ctx.clip();
		const line = (ys) => {
			ctx.beginPath();
			xs.forEach((x, i) => (i ? ctx.lineTo(X(x), Y(ys[i])) : ctx.moveTo(X(x), Y(ys[i]))));
			ctx.stroke();
		};
		ctx.lineJoin = 'round';
		ctx.strokeStyle = col.hint;
		ctx.lineWidth = 2;
		ctx.setLineDash([6, 5]);
		line(d.curve.y_nobias);
		ctx.setLineDash([]);
		ctx.strokeStyle = col.button;
		ctx.lineWidth = 3;
		line(d.curve.y);

		// The learner's neuron: (Σ, y), with guides to the axes.
		const px = X(d.sum);
		const py = Y(d.y);
		ctx.strokeStyle = col.point;
		ctx.lineWidth = 1;
		ctx.setLineDash([2, 3]);
		ctx.beginPath();
		ctx.moveTo(px, top + ph);
		ctx.lineTo(px, py);
		ctx.lineTo(left, py);
		ctx.stroke();
		ctx.setLineDash([]);
		ctx.restore();
		ctx.beginPath();
		ctx.arc(px, py, 6, 0, 2 * Math.PI);
		ctx.fillStyle = col.point;
		ctx.fill();
		ctx.lineWidth = 2;
		ctx.strokeStyle = col.bg;
		ctx.stroke();

		const label = 'Σ = ' + num(d.sum) + ', y = ' + num(d.y);
		ctx.font = font(12, 600);
		const tw = ctx.measureText(label).width;
		let lx = px + 10;
		if (lx + tw > left + pw - 4) lx = px - 10 - tw;
		lx = clamp(lx, left + 4, left + pw - 4 - tw);
		let ly = py - 22;
		if (ly < top + 2) ly = py + 10;
		ctx.globalAlpha = 0.85;
		ctx.fillStyle = col.bg;
		ctx.fillRect(lx - 3, ly - 1, tw + 6, 17);
		ctx.globalAlpha = 1;
		ctx.fillStyle = col.text;
		ctx.textBaseline = 'top';
		ctx.fillText(label, lx, ly + 1);
	}

	const neuron = makeLab('neuron', neuronArgs, renderNeuron, adoptNeuron);

	function initNeuron() {
		buildNeuronInputs();
		setRange($('b'), nState.b, -10, 10);
		$('b-val').textContent = num(Number(nState.b));
		$('b').addEventListener('input', () => {
			nState.b = $('b').value;
			$('b-val').textContent = num(Number(nState.b));
			neuron.update();
		});
		$('f').value = nState.f;
		$('f').addEventListener('change', () => {
			nState.f = $('f').value;
			neuron.update();
		});
		$('neuron-add').addEventListener('click', () => {
			if (nState.w.length >= MAX_INPUTS) return;
			nState.w.push('0.5');
			nState.x.push('1');
			buildNeuronInputs();
			neuron.update();
		});
		$('neuron-remove').addEventListener('click', () => {
			if (nState.w.length <= 1) return;
			nState.w.pop();
			nState.x.pop();
			buildNeuronInputs();
			neuron.update();
		});
	}

	// ---- Позиции.

	const peSel = { pos: null, i: null };
	let peLayout = null;

	function posencArgs() {
		return $('pe-n').value + ' d=' + $('pe-d').value;
	}

	function adoptPosenc(d) {
		setRange($('pe-n'), String(d.n), 1, 128);
		setRange($('pe-d'), String(d.d), 2, 128);
	}

	function renderPosenc(d) {
		$('pe-n-val').textContent = String(d.n);
		$('pe-d-val').textContent = String(d.d);
		drawPosenc(d);
		showCell(d);
	}

	function drawPosenc(d) {
		const canvas = $('pe-chart');
		const width = boxWidth(canvas);
		const n = d.n;
		const dim = d.d;
		const probe = canvas.getContext('2d');
		probe.font = font(11);
		const left = Math.ceil(probe.measureText(String(n - 1)).width) + 10;
		const top = 18;
		const pw = width - left - 4;
		const cellW = pw / dim;
		const cellH = clamp(Math.floor(300 / n), 2, 18);
		const hh = cellH * n;
		const { ctx } = prepare(canvas, top + hh + 8 + 10 + 18);
		const col = colors();
		ctx.font = font(11);
		peLayout = { left: left, top: top, cellW: cellW, cellH: cellH, n: n, d: dim };
		stats.layout.posenc = peLayout;

		heat(ctx, n, dim, (r, c) => ramp(RDBU, (d.values[r][c] + 1) / 2), left, top, pw, hh);

		// Column numbers i on top, positions pos on the left.
		ctx.fillStyle = col.text;
		ctx.textBaseline = 'alphabetic';
		ctx.textAlign = 'center';
		const wide = probe.measureText(String(dim - 1)).width + 8;
		for (const i of integerTicks(dim, cellW, wide)) {
			ctx.fillText(String(i), clamp(left + (i + 0.5) * cellW, left + 6, width - 8), top - 5);
		}
		ctx.textAlign = 'right';
		ctx.textBaseline = 'middle';
		for (const p of integerTicks(n, cellH, 14)) {
			ctx.fillText(String(p), left - 5, top + (p + 0.5) * cellH);
		}

		// The tapped cell.
		if (peSel.pos !== null && peSel.pos < n && peSel.i < dim) {
			const bw = Math.max(cellW, 8);
			const bh = Math.max(cellH, 8);
			const cx = left + (peSel.i + 0.5) * cellW;
			const cy = top + (peSel.pos + 0.5) * cellH;
			ctx.lineWidth = 2;
			ctx.strokeStyle = '#000000';
			ctx.strokeRect(cx - bw / 2, cy - bh / 2, bw, bh);
			ctx.lineWidth = 1;
			ctx.strokeStyle = '#ffffff';
			ctx.strokeRect(cx - bw / 2 - 1.5, cy - bh / 2 - 1.5, bw + 3, bh + 3);
		}

		colourBar(ctx, RDBU, left, top + hh + 8, pw, [
			{ at: 0, text: MINUS + '1' }, { at: 0.25, text: MINUS + '0.5' }, { at: 0.5, text: '0' },
			{ at: 0.75, text: '0.5' }, { at: 1, text: '1' }], col);
	}

	function showCell(d) {
		const where = $('pe-where');
		const formula = $('pe-formula');
		const cell = $('pe-cell');
		if (peSel.pos === null || peSel.pos >= d.n || peSel.i >= d.d) {
			where.textContent = 'Коснитесь клетки карты — здесь появится её формула и значение.';
			formula.textContent = '';
			cell.textContent = '—';
			return;
		}
		const pos = peSel.pos;
		const i = peSel.i;
		const even = i % 2 === 0;
		const k2 = even ? i : i - 1; // 2k
		where.textContent = 'pos = ' + pos + ', i = ' + i + (even ? ' — чётное, 2k при k = ' + k2 / 2 + ': синус' : ' — нечётное, 2k+1 при k = ' + k2 / 2 + ': косинус');
		formula.textContent = (even ? 'PE(pos, 2k) = sin(pos / 10000^(2k/d))' : 'PE(pos, 2k+1) = cos(pos / 10000^(2k/d))') +
			'\nPE(' + pos + ', ' + i + ') = ' + (even ? 'sin' : 'cos') + '(' + pos + ' / 10000^(' + k2 + '/' + d.d + '))';
		cell.textContent = num(d.values[pos][i]);
	}

	const posenc = makeLab('posenc', posencArgs, renderPosenc, adoptPosenc);

	function initPosenc() {
		for (const id of ['pe-n', 'pe-d']) {
			$(id).addEventListener('input', () => {
				$(id + '-val').textContent = $(id).value;
				posenc.update();
			});
		}
		$('pe-n-val').textContent = $('pe-n').value;
		$('pe-d-val').textContent = $('pe-d').value;
		$('pe-chart').addEventListener('click', (e) => {
			const L = peLayout;
			if (!L || !posenc.data) return;
			const c = Math.floor((e.offsetX - L.left) / L.cellW);
			const r = Math.floor((e.offsetY - L.top) / L.cellH);
			if (c < 0 || r < 0 || c >= L.d || r >= L.n) return;
			peSel.pos = r;
			peSel.i = c;
			posenc.draw();
		});
	}

	// ---- Внимание.

	let attCur = 0; // 0-based row of the current token

	function attentionArgs() {
		return $('att-input').value;
	}

	function adoptAttention(d, raw) {
		void raw;
		$('att-input').value = (attention.initialText || '').replace(/(^|\s)cur\s*=\s*\S*/gi, ' ').replace(/\s+/g, ' ').trim();
		attCur = d.cur - 1;
	}

	function renderAttention(d) {
		const n = d.tokens.length;
		if (attention.fresh) {
			attCur = d.cur - 1;
			attention.fresh = false;
		}
		attCur = clamp(attCur, 0, n - 1);

		const chips = $('att-tokens');
		chips.textContent = '';
		d.tokens.forEach((t, i) => {
			const b = el('button', 'token');
			b.type = 'button';
			b.setAttribute('aria-pressed', String(i === attCur));
			b.append(el('small', '', String(i + 1)), t);
			b.addEventListener('click', () => {
				attCur = i;
				attention.draw();
			});
			chips.append(b);
		});

		$('att-title').textContent = 'Куда смотрит «' + d.tokens[attCur] + '» (' + (attCur + 1) + '-й токен)';
		const row = d.weights[attCur];
		let max = 0;
		for (const v of row) max = Math.max(max, v);
		const bars = $('att-bars');
		bars.textContent = '';
		row.forEach((v, j) => {
			const li = el('li', j === attCur ? 'self' : '');
			li.append(el('span', 'tok', (j + 1) + ' ' + d.tokens[j]));
			const track = el('span', 'track');
			const fill = el('span', 'fill');
			fill.style.width = (max > 0 ? v / max * 100 : 0) + '%';
			track.append(fill);
			li.append(track, el('span', 'att-w', num(v)));
			bars.append(li);
		});
		drawAttention(d);
	}

	let attLayout = null;

	function drawAttention(d) {
		const canvas = $('att-chart');
		const width = boxWidth(canvas);
		const n = d.tokens.length;
		const probe = canvas.getContext('2d');
		probe.font = font(12);
		// Rows are labelled "1 кошка" when the words fit in a third of the
		// width, else by their numbers alone (the chips above are the key).
		let labels = d.tokens.map((t, i) => (i + 1) + ' ' + t);
		let lw = 0;
		for (const l of labels) lw = Math.max(lw, probe.measureText(l).width);
		if (lw > width * 0.34) {
			labels = d.tokens.map((t, i) => String(i + 1));
			lw = probe.measureText(String(n)).width;
		}
		const left = Math.ceil(lw) + 10;
		const top = 18;
		const cell = Math.min(44, (width - left - 4) / n);
		const side = cell * n;
		const { ctx } = prepare(canvas, Math.ceil(top + side + 8 + 10 + 18));
		const col = colors();
		attLayout = { left: left, top: top, cell: cell, n: n };
		stats.layout.attention = attLayout;
		let max = 0;
		for (const r of d.weights) for (const v of r) max = Math.max(max, v);
		const colourOf = (v) => ramp(BLUES, max > 0 ? v / max : 0);

		heat(ctx, n, n, (r, c) => colourOf(d.weights[r][c]), left, top, side, side);

		// Values in the cells when they fit.
		if (cell >= 34) {
			ctx.font = font(10);
			ctx.textAlign = 'center';
			ctx.textBaseline = 'middle';
			for (let r = 0; r < n; r++) {
				for (let c = 0; c < n; c++) {
					const v = d.weights[r][c];
					ctx.fillStyle = luminance('#' + colourOf(v).map((x) => x.toString(16).padStart(2, '0')).join('')) < 0.55 ? '#ffffff' : '#000000';
					ctx.fillText(fixed(v, 2), left + (c + 0.5) * cell, top + (r + 0.5) * cell);
				}
			}
		}

		ctx.font = font(12);
		ctx.fillStyle = col.text;
		ctx.textAlign = 'center';
		ctx.textBaseline = 'alphabetic';
		for (const c of integerTicks(n, cell, probe.measureText(String(n)).width + 6)) {
			ctx.fillText(String(c + 1), left + (c + 0.5) * cell, top - 5);
		}
		ctx.textAlign = 'right';
		ctx.textBaseline = 'middle';
		// Every k-th row, and always the current one (in bold).
		ctx.font = font(12, 700);
		ctx.fillText(labels[attCur], left - 5, top + (attCur + 0.5) * cell);
		ctx.font = font(12);
		for (const r of integerTicks(n, cell, 14)) {
			if (r === attCur || Math.abs(r - attCur) * cell < 14) continue;
			ctx.fillText(labels[r], left - 5, top + (r + 0.5) * cell);
		}

		// The current token's row.
		ctx.lineWidth = 2.5;
		ctx.strokeStyle = col.point;
		ctx.strokeRect(left + 1, top + attCur * cell + 1, side - 2, Math.max(cell - 2, 2));

		ctx.font = font(11);
		colourBar(ctx, BLUES, left, top + side + 8, side, [{ at: 0, text: '0' }, { at: 1, text: num(max) }], col);
	}

	const attention = makeLab('attention', attentionArgs, renderAttention, adoptAttention);
	attention.fresh = true;

	function initAttention() {
		$('att-input').addEventListener('input', () => {
			attention.fresh = true;
			attention.update();
		});
		$('att-chart').addEventListener('click', (e) => {
			const L = attLayout;
			if (!L || !attention.data) return;
			const r = Math.floor((e.offsetY - L.top) / L.cell);
			if (r < 0 || r >= L.n || e.offsetX < 0) return;
			attCur = r;
			attention.draw();
		});
	}

	// ---- Seed.

	const MAX_SEED = (1n << 64n) - 1n;

	function seedArgs() {
		return $('seed-input').value.trim() + ' n=' + $('seed-n').value;
	}

	// seedsOf reads seed and other from the JSON text itself: they can
	// exceed 2⁵³, where JavaScript numbers lose digits.
	function seedsOf(raw) {
		const s = /"seed"\s*:\s*(\d+)/.exec(raw);
		const o = /"other"\s*:\s*(\d+)/.exec(raw);
		return { seed: s ? s[1] : '', other: o ? o[1] : '' };
	}

	function adoptSeed(d, raw) {
		$('seed-input').value = seedsOf(raw).seed;
		fitSeed();
		setRange($('seed-n'), String(d.n), 1, 20);
		$('seed-n-val').textContent = String(d.n);
	}

	function short(seed) {
		return seed.length > 8 ? '…' + seed.slice(-5) : seed;
	}

	function renderSeed(d, raw) {
		const s = seedsOf(raw);
		$('seed-n-val').textContent = String(d.n);
		$('seed-legend').textContent = 'A и B — два запуска с seed ' + group(s.seed) + ', C — запуск с seed ' + group(s.other) + '.';
		fillRuns('py', d.python, s);
		$('np-box').hidden = !d.numpy;
		$('np-none').hidden = !!d.numpy;
		drawRuns($('py-chart'), d.python);
		if (d.numpy) {
			fillRuns('np', d.numpy, s);
			drawRuns($('np-chart'), d.numpy);
		}
	}

	function fillRuns(prefix, runs, s) {
		const heads = [['a', 'A', s.seed], ['b', 'B', s.seed], ['c', 'C', s.other]];
		heads.forEach((h, k) => {
			$(prefix + '-' + h[0] + '-head').textContent = h[1] + ' · ' + short(h[2]);
			const list = $(prefix + '-' + h[0]);
			list.textContent = '';
			runs[k].forEach((v, i) => {
				let cls = '';
				if (k === 1 && v === runs[0][i]) cls = 'same';
				if (k === 2 && v !== runs[0][i]) cls = 'diff';
				list.append(el('li', cls, fixed(v, 6)));
			});
		});
	}

	function drawRuns(canvas, runs) {
		const { ctx, w, h } = prepare(canvas, 150);
		const col = colors();
		const n = runs[0].length;
		ctx.font = font(11);
		const left = Math.ceil(ctx.measureText('0.5').width) + 10;
		const top = 8;
		const bottom = 22;
		const pw = w - left - 10;
		const ph = h - top - bottom;
		const X = (i) => left + (n === 1 ? pw / 2 : i / (n - 1) * pw);
		const Y = (v) => top + (1 - v) * ph;
		ctx.strokeStyle = col.hint;
		ctx.globalAlpha = 0.3;
		ctx.lineWidth = 1;
		ctx.beginPath();
		for (const v of [0, 0.5, 1]) {
			ctx.moveTo(left, Math.round(Y(v)) + 0.5);
			ctx.lineTo(left + pw, Math.round(Y(v)) + 0.5);
		}
		ctx.stroke();
		ctx.globalAlpha = 1;
		ctx.fillStyle = col.text;
		ctx.textAlign = 'right';
		ctx.textBaseline = 'middle';
		for (const v of [0, 0.5, 1]) ctx.fillText(v === 0.5 ? '0.5' : String(v), left - 5, Y(v));
		ctx.textAlign = 'center';
		ctx.textBaseline = 'top';
		for (const i of integerTicks(n, n > 1 ? pw / (n - 1) : pw, 22)) ctx.fillText(String(i + 1), X(i), top + ph + 7);

		const path = (vals) => {
			ctx.beginPath();
			vals.forEach((v, i) => (i ? ctx.lineTo(X(i), Y(v)) : ctx.moveTo(X(i), Y(v))));
			ctx.stroke();
		};
		// C: orange, dashed, squares.
		ctx.strokeStyle = col.point;
		ctx.fillStyle = col.point;
		ctx.lineWidth = 1.5;
		ctx.setLineDash([5, 4]);
		path(runs[2]);
		ctx.setLineDash([]);
		runs[2].forEach((v, i) => ctx.fillRect(X(i) - 3.5, Y(v) - 3.5, 7, 7));
		// A: the button colour, circles.
		ctx.strokeStyle = col.button;
		ctx.lineWidth = 2;
		path(runs[0]);
		ctx.fillStyle = col.button;
		runs[0].forEach((v, i) => {
			ctx.beginPath();
			ctx.arc(X(i), Y(v), 5, 0, 2 * Math.PI);
			ctx.fill();
		});
		// B: small dots in the text colour, inside A's circles when equal.
		ctx.fillStyle = col.text;
		runs[1].forEach((v, i) => {
			ctx.beginPath();
			ctx.arc(X(i), Y(v), 2.2, 0, 2 * Math.PI);
			ctx.fill();
		});
	}

	const seed = makeLab('seed', seedArgs, renderSeed, adoptSeed);

	function stepSeed(delta) {
		const text = $('seed-input').value.trim();
		let v;
		if (/^\d+$/.test(text)) v = BigInt(text);
		else if (seed.data) v = BigInt(seedsOf(seed.raw).seed || '42');
		else v = 42n;
		v += delta;
		if (v < 0n) v = 0n;
		if (v > MAX_SEED) v = MAX_SEED;
		$('seed-input').value = v.toString();
		fitSeed();
		seed.update();
	}

	// fitSeed shrinks the seed's digits when they are many (2⁶⁴−1 has 20).
	function fitSeed() {
		const e = $('seed-input');
		e.classList.toggle('long', e.value.length > 11);
	}

	function initSeed() {
		$('seed-input').addEventListener('input', () => {
			fitSeed();
			seed.update();
		});
		$('seed-n').addEventListener('input', () => {
			$('seed-n-val').textContent = $('seed-n').value;
			seed.update();
		});
		$('seed-n-val').textContent = $('seed-n').value;
		$('seed-plus').addEventListener('click', () => stepSeed(1n));
		$('seed-minus').addEventListener('click', () => stepSeed(-1n));
	}

	// ---- Pages and tabs.

	const labs = { neuron: neuron, posenc: posenc, attention: attention, seed: seed };
	let current = '';

	function go(name, args) {
		if (LABS.indexOf(name) < 0) name = '';
		current = name;
		for (const p of document.querySelectorAll('.page')) p.hidden = p.id !== 'page-' + (name || 'home');
		for (const b of document.querySelectorAll('.tabs button')) {
			if (b.dataset.lab === name) b.setAttribute('aria-current', 'page');
			else b.removeAttribute('aria-current');
		}
		const q = new URLSearchParams(location.search);
		if (name) q.set('lab', name);
		else q.delete('lab');
		if (args === undefined) q.delete('args');
		const qs = q.toString();
		try {
			history.replaceState(null, '', (qs ? '?' + qs : location.pathname) + location.hash);
		} catch (e) {
			// A sandboxed frame may refuse; the page works without it.
		}
		window.scrollTo(0, 0);
		if (!name) return;
		const lab = labs[name];
		if (!lab.started) {
			if (name === 'attention') attention.initialText = args || '';
			lab.start(args);
		} else {
			lab.draw();
		}
	}

	let resizeQueued = false;
	function redrawSoon() {
		if (resizeQueued) return;
		resizeQueued = true;
		requestAnimationFrame(() => {
			resizeQueued = false;
			applyScheme();
			if (current) labs[current].draw();
		});
	}

	function init() {
		if (tg) {
			if (typeof tg.ready === 'function') tg.ready();
			if (typeof tg.expand === 'function') tg.expand();
			if (typeof tg.onEvent === 'function') tg.onEvent('themeChanged', redrawSoon);
		}
		if (dev) $('note-dev').hidden = false;
		else if (!initData) $('note-tg').hidden = false;
		applyScheme();

		initNeuron();
		initPosenc();
		initAttention();
		initSeed();
		for (const b of document.querySelectorAll('[data-lab]')) {
			b.addEventListener('click', () => go(b.dataset.lab));
		}
		window.addEventListener('resize', redrawSoon);

		const q = new URLSearchParams(location.search);
		const args = q.get('args');
		go(q.get('lab') || '', args === null ? undefined : args);
	}

	init();
})();
