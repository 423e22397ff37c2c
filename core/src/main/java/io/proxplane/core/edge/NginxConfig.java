package io.proxplane.core.edge;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The rendered nginx configuration: {@code nginx.conf} (main context, includes the other two),
 * {@code http.conf} (content of {@code http {}}) and {@code stream.conf} (content of
 * {@code stream {}}). All three go into {@link NginxSettings#configDirectory()}.
 */
public record NginxConfig(String nginxConf, String httpConf, String streamConf) {

    public static final String NGINX_CONF = "nginx.conf";
    public static final String HTTP_CONF = "http.conf";
    public static final String STREAM_CONF = "stream.conf";

    /** File name to content, in name order. */
    public SortedMap<String, String> files() {
        TreeMap<String, String> files = new TreeMap<>();
        files.put(NGINX_CONF, nginxConf);
        files.put(HTTP_CONF, httpConf);
        files.put(STREAM_CONF, streamConf);
        return Collections.unmodifiableSortedMap(files);
    }
}
