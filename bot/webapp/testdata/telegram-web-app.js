// A small stand-in for Telegram's telegram-web-app.js, for the browser
// tests. Like the real script it reads the launch parameters Telegram puts
// after "#" (tgWebAppData: the signed initData; tgWebAppThemeParams: the
// theme as JSON), exposes window.Telegram.WebApp, and sets the
// --tg-theme-* CSS variables on <html>. window.__tgStandIn lets a test
// change the theme (firing themeChanged) and see what the page called.
(function () {
	'use strict';
	var hash = location.hash.replace(/^#/, '');
	var params = {};
	hash.split('&').forEach(function (kv) {
		if (!kv) return;
		var i = kv.indexOf('=');
		var k = decodeURIComponent(i < 0 ? kv : kv.slice(0, i));
		params[k] = i < 0 ? '' : decodeURIComponent(kv.slice(i + 1).replace(/\+/g, '%20'));
	});
	var themeParams = {};
	try {
		themeParams = JSON.parse(params.tgWebAppThemeParams || '{}');
	} catch (e) {
		themeParams = {};
	}
	var handlers = {};
	var calls = [];

	function scheme(bg) {
		var m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(bg || '');
		if (!m) return 'light';
		var l = 0.2126 * parseInt(m[1], 16) + 0.7152 * parseInt(m[2], 16) + 0.0722 * parseInt(m[3], 16);
		return l < 120 ? 'dark' : 'light';
	}

	function setVars() {
		var style = document.documentElement.style;
		Object.keys(themeParams).forEach(function (k) {
			style.setProperty('--tg-theme-' + k.replace(/_/g, '-'), themeParams[k]);
		});
		style.setProperty('--tg-color-scheme', WebApp.colorScheme);
	}

	var WebApp = {
		initData: params.tgWebAppData || '',
		initDataUnsafe: {},
		version: params.tgWebAppVersion || '8.0',
		platform: params.tgWebAppPlatform || 'android',
		themeParams: themeParams,
		colorScheme: scheme(themeParams.bg_color),
		isExpanded: false,
		ready: function () { calls.push('ready'); },
		expand: function () { calls.push('expand'); WebApp.isExpanded = true; },
		onEvent: function (name, fn) { (handlers[name] = handlers[name] || []).push(fn); },
		offEvent: function (name, fn) {
			handlers[name] = (handlers[name] || []).filter(function (h) { return h !== fn; });
		},
		isVersionAtLeast: function () { return true; }
	};
	setVars();

	window.Telegram = { WebApp: WebApp };
	window.__tgStandIn = {
		calls: calls,
		setTheme: function (p) {
			themeParams = p;
			WebApp.themeParams = p;
			WebApp.colorScheme = scheme(p.bg_color);
			setVars();
			(handlers.themeChanged || []).forEach(function (fn) { fn.call(WebApp); });
		}
	};
})();
