package io.htmlgraph.sidecar.view;

/**
 * What an empty view teaches: the hook settings to paste into {@code .claude/settings.json}, filled with this
 * sidecar's URL (as the browser reached it).
 */
record Empty(String url, String settings) {
    private static final String[] HOOKS = {"SessionStart", "SessionEnd", "UserPromptSubmit", "PreToolUse",
        "PostToolUse", "PostToolUseFailure", "PermissionRequest", "Notification", "SubagentStart", "SubagentStop",
        "Stop", "PreCompact"};

    static Empty forBase(String baseUrl) {
        String hookUrl = baseUrl + "/api/hooks";
        StringBuilder json = new StringBuilder("{\n  \"hooks\": {\n");
        for (int i = 0; i < HOOKS.length; i++) {
            String name = HOOKS[i];
            boolean matcher = name.contains("ToolUse") || name.equals("PermissionRequest");
            json.append("    \"").append(name).append("\": [{").append(matcher ? "\"matcher\": \"*\", " : "")
                .append("\"hooks\": [{\"type\": \"http\", \"url\": \"").append(hookUrl).append("\"}]}]")
                .append(i < HOOKS.length - 1 ? ",\n" : "\n");
        }
        return new Empty(hookUrl, json.append("  }\n}").toString());
    }
}
