#!/usr/bin/env node
// Static Electron security check (issue 6), run by scripts/test.sh. Parses every .ts/.tsx file
// under electron/ and renderer/ (tests excluded) with the TypeScript compiler and fails on the
// Electronegativity-style anti-patterns below. Electronegativity itself runs offline here but
// cannot follow options built by a function (window-options.ts), so it reports the hardened
// window as unhardened; this check follows them instead.
//
//   node scripts/security-scan.mjs [--root DIR]   (exit 1 on any finding)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { parse as parseYaml } from 'yaml';

// webPreferences / privileges that weaken the renderer when true, and those that must stay true.
const mustNotBeTrue = new Set([
  'nodeIntegration',
  'nodeIntegrationInWorker',
  'nodeIntegrationInSubFrames',
  'webviewTag',
  'allowRunningInsecureContent',
  'experimentalFeatures',
  'enableRemoteModule',
  'plugins',
  'navigateOnDragDrop',
  'bypassCSP',
  'allowServiceWorkers',
]);
const mustBeTrue = new Set(['contextIsolation', 'sandbox', 'webSecurity']);
const windowClasses = new Set(['BrowserWindow', 'BrowserView', 'WebContentsView']);
/** Functions whose result is a vetted webPreferences object / an allowlisted external URL. */
const vettedPreferences = new Set(['windowWebPreferences']);
const vettedExternalUrl = new Set(['externalUrlOrThrow']);
const vettedPermissionHandlers = new Set(['appPermissionRequest', 'appPermissionCheck']);
const loopbackHosts = new Set(['127.0.0.1', '::1', 'localhost']);
/**
 * Electron fuses the packaged app must flip (electron-builder `electronFuses`). Septet never runs
 * Electron as plain Node, takes no NODE_OPTIONS or --inspect, loads its code only from the asar
 * and serves pages from its own app:// scheme, never file://.
 */
const requiredFuses = {
  runAsNode: false,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  grantFileProtocolExtraPrivileges: false,
  enableCookieEncryption: true,
};
const builderConfig = 'build/electron-builder.yml';

function parseArgs(argv) {
  const index = argv.indexOf('--root');
  return { root: index >= 0 ? argv[index + 1] : process.cwd() };
}

function sourceFiles(dir) {
  const out = [];
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name === 'node_modules' || name === 'dist' || name === 'testing') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(name) && !/\.(test|spec)\.tsx?$/.test(name) && !name.endsWith('.d.ts'))
      out.push(path);
  }
  return out;
}

function propertyName(node) {
  if (!node.name) return undefined;
  if (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) return node.name.text;
  return undefined;
}

function calleeName(expression) {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression)) return expression.name.text;
  return undefined;
}

function fullCallee(expression) {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression)) {
    const left = fullCallee(expression.expression);
    return left ? `${left}.${expression.name.text}` : expression.name.text;
  }
  return undefined;
}

function stringValue(node) {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  return undefined;
}

function isLiteralString(node) {
  return stringValue(node) !== undefined;
}

/** Scans one file; returns findings {rule, severity, file, line, message}. */
export function scanSource(file, text) {
  const source = ts.createSourceFile(
    file,
    text,
    ts.ScriptTarget.Latest,
    true,
    file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const findings = [];
  const report = (node, rule, severity, message) => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
    findings.push({ rule, severity, file, line: line + 1, message });
  };

  const checkPreferencesLiteral = (literal, where) => {
    const names = new Map();
    for (const property of literal.properties) {
      const name = ts.isPropertyAssignment(property) ? propertyName(property) : undefined;
      if (name) names.set(name, property.initializer);
    }
    for (const name of mustBeTrue) {
      const value = names.get(name);
      if (!value || value.kind !== ts.SyntaxKind.TrueKeyword) {
        report(
          literal,
          `${name.toUpperCase()}_REQUIRED`,
          'high',
          `${where}: webPreferences must set ${name}: true (literal)`,
        );
      }
    }
    if (names.get('nodeIntegration')?.kind !== ts.SyntaxKind.FalseKeyword) {
      report(
        literal,
        'NODE_INTEGRATION_REQUIRED_OFF',
        'high',
        `${where}: webPreferences must set nodeIntegration: false (literal)`,
      );
    }
  };

  const visit = (node) => {
    // 1. Dangerous option values anywhere (webPreferences, scheme privileges…).
    if (ts.isPropertyAssignment(node)) {
      const name = propertyName(node);
      const value = node.initializer;
      // `plugins` is also Vite's plugin list: only a literal true is Electron's option.
      const weakens =
        name === 'plugins'
          ? value.kind === ts.SyntaxKind.TrueKeyword
          : value.kind !== ts.SyntaxKind.FalseKeyword;
      if (name && mustNotBeTrue.has(name) && weakens) {
        report(
          node,
          `${name.toUpperCase()}_ENABLED`,
          'high',
          `${name} must be literally false (got ${value.getText(source)})`,
        );
      }
      if (name && mustBeTrue.has(name) && value.kind !== ts.SyntaxKind.TrueKeyword) {
        report(
          node,
          `${name.toUpperCase()}_DISABLED`,
          'high',
          `${name} must be literally true (got ${value.getText(source)})`,
        );
      }
      if (name === 'enableBlinkFeatures') {
        report(node, 'BLINK_FEATURES', 'medium', 'enableBlinkFeatures must not be used');
      }
      if (name === 'action' && stringValue(value) === 'allow') {
        report(node, 'WINDOW_OPEN_ALLOWED', 'high', "a window-open handler must answer { action: 'deny' }");
      }
      // CSP written as a directive map: no unsafe-inline / unsafe-eval for scripts.
      if (
        name &&
        /^(script-src(-elem|-attr)?|default-src)$/.test(name) &&
        /unsafe-(inline|eval)|\*/.test(value.getText(source))
      ) {
        report(node, 'CSP_UNSAFE_SCRIPT', 'high', `${name} must not allow unsafe-inline, unsafe-eval or *`);
      }
    }
    if (
      ts.isShorthandPropertyAssignment(node) &&
      (mustNotBeTrue.has(node.name.text) || mustBeTrue.has(node.name.text))
    ) {
      report(node, 'OPTION_NOT_LITERAL', 'medium', `${node.name.text} must be a literal, not a variable`);
    }

    // 2. CSP strings.
    const text =
      stringValue(node) ??
      (ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)
        ? node.text
        : undefined);
    if (text !== undefined) {
      if (/unsafe-eval/.test(text))
        report(node, 'CSP_UNSAFE_EVAL', 'high', "'unsafe-eval' must not appear in a CSP");
      if (/(script-src|default-src)[^;]*unsafe-inline/.test(text)) {
        report(node, 'CSP_UNSAFE_INLINE_SCRIPT', 'high', "scripts must not be allowed 'unsafe-inline'");
      }
    }

    // 3. Windows: webPreferences present and vetted.
    if (ts.isNewExpression(node) && windowClasses.has(calleeName(node.expression) ?? '')) {
      const options = node.arguments?.[0];
      const where = `new ${calleeName(node.expression)}`;
      const prefs =
        options && ts.isObjectLiteralExpression(options)
          ? options.properties.find((p) => ts.isPropertyAssignment(p) && propertyName(p) === 'webPreferences')
          : undefined;
      if (!prefs) {
        report(node, 'WEB_PREFERENCES_MISSING', 'high', `${where} must pass explicit webPreferences`);
      } else if (ts.isObjectLiteralExpression(prefs.initializer)) {
        checkPreferencesLiteral(prefs.initializer, where);
      } else if (!(
        ts.isCallExpression(prefs.initializer) &&
        vettedPreferences.has(calleeName(prefs.initializer.expression) ?? '')
      )) {
        report(
          prefs,
          'WEB_PREFERENCES_UNVETTED',
          'high',
          `${where}: webPreferences must be a literal or windowWebPreferences(…)`,
        );
      }
    }
    // The vetted builder itself must return a literal that passes the literal check.
    if (ts.isFunctionDeclaration(node) && node.name && vettedPreferences.has(node.name.text)) {
      const returned = [];
      const find = (n) => {
        if (ts.isReturnStatement(n) && n.expression) returned.push(n.expression);
        else if (!ts.isFunctionLike(n)) ts.forEachChild(n, find);
      };
      if (node.body) ts.forEachChild(node.body, find);
      if (returned.length === 0)
        report(node, 'WEB_PREFERENCES_UNVETTED', 'high', `${node.name.text} must return an object literal`);
      for (const expression of returned) {
        if (ts.isObjectLiteralExpression(expression)) checkPreferencesLiteral(expression, node.name.text);
        else
          report(
            expression,
            'WEB_PREFERENCES_UNVETTED',
            'high',
            `${node.name.text} must return an object literal`,
          );
      }
    }

    if (ts.isCallExpression(node)) {
      const name = calleeName(node.expression);
      const callee = fullCallee(node.expression) ?? '';
      const [first, second] = node.arguments;
      // 4. shell.openExternal only with a literal or a validated URL.
      if (name === 'openExternal' && /(^|\.)shell\.openExternal$/.test(callee)) {
        const ok =
          first &&
          (isLiteralString(first) ||
            (ts.isCallExpression(first) && vettedExternalUrl.has(calleeName(first.expression) ?? '')));
        if (!ok)
          report(
            node,
            'OPEN_EXTERNAL_UNVALIDATED',
            'high',
            'shell.openExternal needs a literal URL or externalUrlOrThrow(…)',
          );
      }
      // 5. The remote module, eval and friends.
      if (
        name === 'require' &&
        first &&
        /^(@electron\/remote|electron\/remote)/.test(stringValue(first) ?? '')
      ) {
        report(node, 'REMOTE_MODULE', 'high', 'the remote module must not be used');
      }
      if (callee === 'eval' || callee === 'window.eval' || callee === 'globalThis.eval')
        report(node, 'EVAL', 'high', 'eval must not be used');
      if (name === 'executeJavaScript' || (name === 'insertCSS' && first && !isLiteralString(first))) {
        report(node, 'EXECUTE_JAVASCRIPT', 'medium', `${name} must not be used with dynamic input`);
      }
      // 6. Permission handlers: only the vetted ones (notifications for the app's pages, nothing else).
      if (
        name === 'setPermissionRequestHandler' ||
        name === 'setPermissionCheckHandler' ||
        name === 'setDevicePermissionHandler'
      ) {
        if (!first || !ts.isIdentifier(first) || !vettedPermissionHandlers.has(first.text)) {
          report(
            node,
            'PERMISSION_HANDLER_UNVETTED',
            'high',
            `${name} must use appPermissionRequest/appPermissionCheck`,
          );
        }
      }
      // 7. Servers in the app listen on loopback only.
      if (name === 'listen' && node.arguments.length > 0 && !/\.(on|once)$/.test(callee)) {
        const host = node.arguments.map(stringValue).find((v) => v !== undefined);
        const looksLikeServer =
          first && (ts.isNumericLiteral(first) || !isLiteralString(first) || second !== undefined);
        if (looksLikeServer && (host === undefined || !loopbackHosts.has(host))) {
          report(
            node,
            'LISTEN_NOT_LOOPBACK',
            'high',
            `${callee}(…) must bind a literal loopback address (127.0.0.1)`,
          );
        }
      }
    }
    if (ts.isNewExpression(node) && calleeName(node.expression) === 'Function') {
      report(node, 'NEW_FUNCTION', 'high', 'new Function must not be used');
    }
    if (
      ts.isImportDeclaration(node) &&
      /^(@electron\/remote|electron\/remote)/.test(stringValue(node.moduleSpecifier) ?? '')
    ) {
      report(node, 'REMOTE_MODULE', 'high', 'the remote module must not be used');
    }
    if (
      ts.isImportSpecifier(node) &&
      node.name.text === 'remote' &&
      ts.isImportDeclaration(node.parent.parent.parent) &&
      stringValue(node.parent.parent.parent.moduleSpecifier) === 'electron'
    ) {
      report(node, 'REMOTE_MODULE', 'high', 'the remote module must not be used');
    }
    if (
      ts.isJsxAttribute(node) &&
      ts.isIdentifier(node.name) &&
      node.name.text === 'dangerouslySetInnerHTML'
    ) {
      report(node, 'DANGEROUS_HTML', 'high', 'dangerouslySetInnerHTML must not be used');
    }
    if (
      ts.isJsxAttribute(node) &&
      ts.isIdentifier(node.name) &&
      (node.name.text === 'allowpopups' || node.name.text === 'nodeintegration')
    ) {
      report(node, 'WEBVIEW_ATTRIBUTE', 'high', `${node.name.text} must not be used`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return findings;
}

/** The packaging config's fuses, when the tree has one. */
export function scanBuilderConfig(root) {
  const path = join(root, builderConfig);
  if (!existsSync(path)) return [];
  const fuses = parseYaml(readFileSync(path, 'utf8'))?.electronFuses ?? {};
  return Object.entries(requiredFuses)
    .filter(([fuse, value]) => fuses[fuse] !== value)
    .map(([fuse, value]) => ({
      file: builderConfig,
      line: 0,
      rule: 'FUSE_INSECURE',
      severity: 'high',
      message: `electronFuses.${fuse} must be ${value} (is ${String(fuses[fuse])})`,
    }));
}

export function scanTree(root) {
  const findings = [];
  const files = [...sourceFiles(join(root, 'electron')), ...sourceFiles(join(root, 'renderer'))];
  for (const file of files) findings.push(...scanSource(relative(root, file), readFileSync(file, 'utf8')));
  findings.push(...scanBuilderConfig(root));
  return { files: files.length, findings };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { root } = parseArgs(process.argv.slice(2));
  const { files, findings } = scanTree(root);
  for (const f of findings)
    process.stdout.write(`${f.severity.toUpperCase()} ${f.rule} ${f.file}:${f.line} ${f.message}\n`);
  const serious = findings.filter((f) => f.severity === 'high' || f.severity === 'medium');
  process.stdout.write(`security scan: ${files} files, ${serious.length} high/medium finding(s)\n`);
  process.exit(serious.length > 0 || files === 0 ? 1 : 0);
}
