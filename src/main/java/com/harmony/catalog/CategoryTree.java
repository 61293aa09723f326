package com.harmony.catalog;

import com.harmony.platform.Rows;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Nests the flat category rows (each already a JSON object) into a tree of "children" arrays. */
final class CategoryTree {

    private final Map<String, String> docs = new HashMap<>();
    private final Map<String, String> slugs = new HashMap<>();
    private final Map<String, List<String>> children = new HashMap<>();

    CategoryTree(RowSet<Row> rows) {
        for (Row row : rows) {
            String id = row.getString("id");
            String doc = Rows.doc(row);
            docs.put(id, doc);
            slugs.put(row.getString("slug"), id);
            children.computeIfAbsent(row.getString("parent_id"), k -> new ArrayList<>()).add(id);
        }
    }

    /** The rendered children of parent (null for the roots), in position order. */
    List<String> render(String parent) {
        List<String> out = new ArrayList<>();
        for (String id : children.getOrDefault(parent, List.of())) {
            out.add(renderNode(id));
        }
        return out;
    }

    String renderOne(String idOrSlug) {
        String id = docs.containsKey(idOrSlug) ? idOrSlug : slugs.get(idOrSlug);
        return id == null ? null : renderNode(id);
    }

    private String renderNode(String id) {
        String doc = docs.get(id);
        return doc.substring(0, doc.length() - 1) + ",\"children\":[" + String.join(",", render(id)) + "]}";
    }
}
