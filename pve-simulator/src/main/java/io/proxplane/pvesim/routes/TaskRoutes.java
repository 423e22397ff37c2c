package io.proxplane.pvesim.routes;

import static io.proxplane.pvesim.api.Param.bool;
import static io.proxplane.pvesim.api.Param.integer;
import static io.proxplane.pvesim.api.Param.str;

import io.proxplane.pvesim.api.ApiException;
import io.proxplane.pvesim.api.Formats;
import io.proxplane.pvesim.api.Param;
import io.proxplane.pvesim.tasks.Task;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** /nodes/{node}/tasks: task list, status, log and stop. */
final class TaskRoutes {
    private TaskRoutes() {}

    static final Pattern UPID = Pattern.compile(
            "UPID:([a-zA-Z0-9]([a-zA-Z0-9\\-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):([^:\\s/]+):([^:\\s/]*):([^:\\s/]+):");

    static List<Route> routes() {
        return List.of(
                Route.of("GET", "/nodes/{node}/tasks")
                        .params(bool("errors"), integer("limit").min(0), Param.node(), integer("since"),
                                str("source").enums("archive", "active", "all"), integer("start").min(0),
                                str("statusfilter").format("pve-task-status-type-list"), str("typefilter"), integer("until"),
                                str("userfilter"), Param.vmid())
                        .handle(TaskRoutes::list),
                Route.of("GET", "/nodes/{node}/tasks/{upid}/status").prot().params(Param.node(), str("upid").req())
                        .handle(TaskRoutes::status),
                Route.of("GET", "/nodes/{node}/tasks/{upid}/log").prot()
                        .params(bool("download"), integer("limit").min(0), Param.node(), integer("start").min(0), str("upid").req())
                        .handle(TaskRoutes::log),
                Route.of("DELETE", "/nodes/{node}/tasks/{upid}").prot().params(Param.node(), str("upid").req())
                        .handle(TaskRoutes::stop));
    }

    /** The UPID's parts, as both the task list and the status show them. */
    private static Map<String, Object> upidParts(Task t, String user) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("upid", t.upid);
        m.put("node", t.node);
        m.put("pid", t.pid);
        m.put("pstart", t.pstart);
        m.put("starttime", t.starttime);
        m.put("type", t.type);
        m.put("id", t.id);
        m.put("user", user);
        return m;
    }

    static Map<String, Object> listEntry(Task t) {
        Map<String, Object> m = upidParts(t, t.user);
        if (!t.running()) {
            m.put("status", t.exitstatus());
            m.put("endtime", t.endtime());
        }
        return m;
    }

    private static Object list(Call c) {
        Engine e = c.engine();
        synchronized (e.state()) {
            e.node(c.node());
        }
        String source = c.str("source", "archive");
        List<Task> tasks = new ArrayList<>(e.tasks().all());
        tasks.sort(Comparator.comparingLong((Task t) -> t.starttime).reversed());
        List<String> statusFilter = c.has("statusfilter") ? Formats.splitList(c.str("statusfilter")) : List.of();
        List<Object> out = new ArrayList<>();
        int skip = c.integer("start", 0);
        int limit = c.integer("limit", 50);
        synchronized (e.state()) {
            for (Task t : tasks) {
                if (!t.node.equals(c.node())) continue;
                boolean running = t.running();
                if (source.equals("archive") && running || source.equals("active") && !running) continue;
                if (!e.isVisibleTo(c.subject(), t)) continue;
                if (c.has("vmid") && !t.id.equals(c.str("vmid"))) continue;
                if (c.has("typefilter") && !t.type.equals(c.str("typefilter"))) continue;
                if (c.has("userfilter") && !t.user.contains(c.str("userfilter"))) continue;
                if (c.has("since") && t.starttime < Long.parseLong(c.str("since"))) continue;
                if (c.has("until") && t.starttime > Long.parseLong(c.str("until"))) continue;
                String cls = running ? "unknown" : "OK".equals(t.exitstatus()) ? "ok"
                        : t.exitstatus().startsWith("WARNINGS") ? "warning" : "error";
                if (c.bool("errors") && !cls.equals("error")) continue;
                if (!statusFilter.isEmpty() && !statusFilter.contains(cls)) continue;
                if (skip-- > 0) continue;
                if (out.size() >= limit) break;
                out.add(listEntry(t));
            }
        }
        return new Api.WithTotal(out, out.size());
    }

    /** Finds a task by UPID; 400 like PVE for unparsable or unknown ones; 403 for foreign tasks. */
    private static Task find(Call c) {
        String upid = c.str("upid");
        if (!UPID.matcher(upid).matches()) throw ApiException.param("upid", "unable to parse worker upid '" + upid + "'");
        Engine e = c.engine();
        Task t = e.tasks().find(upid);
        if (t == null || !e.tasks().visible(t)) throw ApiException.param("upid", "no such task");
        synchronized (e.state()) {
            if (!e.isVisibleTo(c.subject(), t)) throw ApiException.forbidden("/nodes/" + t.node + ", Sys.Audit");
        }
        return t;
    }

    private static Object status(Call c) {
        Task t = find(c);
        // Token tasks show the user and the token name apart, as on real PVE.
        Map<String, Object> m = upidParts(t, t.userWithoutToken());
        if (t.tokenName() != null) m.put("tokenid", t.tokenName());
        // Read status and exit status together so a poll never sees "stopped" without an exit status.
        synchronized (t) {
            m.put("status", t.status());
            if (!t.running()) m.put("exitstatus", t.exitstatus());
        }
        return m;
    }

    private static Object log(Call c) {
        Task t = find(c);
        List<String> lines = t.logLines();
        int start = c.integer("start", 0);
        int limit = c.integer("limit", 50);
        List<Object> out = new ArrayList<>();
        if (lines.isEmpty()) {
            out.add(Map.of("n", 1, "t", "no content"));
            return new Api.WithTotal(out, 1);
        }
        for (int i = start; i < lines.size() && out.size() < limit; i++) {
            out.add(Map.of("n", i + 1, "t", lines.get(i)));
        }
        return new Api.WithTotal(out, lines.size());
    }

    private static Object stop(Call c) {
        Task t = find(c);
        Engine e = c.engine();
        synchronized (e.state()) {
            if (!t.userWithoutToken().equals(c.subject().userid())) {
                e.perms().checkAll(c.subject(), "/nodes/" + t.node, "Sys.Modify");
            }
        }
        e.tasks().stop(t);
        return null;
    }
}
