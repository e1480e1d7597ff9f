// Test runs: Powertools quiet unless a test builds its own loud logger, and no SDK notice about Node 20
// (the Lambdas run Node 22+). Runs before any test module is loaded, so module-level singletons see it.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
