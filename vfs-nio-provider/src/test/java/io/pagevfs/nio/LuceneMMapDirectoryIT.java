package io.pagevfs.nio;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.store.SingleInstanceLockFactory;
import org.junit.jupiter.api.Test;

/**
 * Lucene's MMapDirectory on PageVFS: index, commit, search, reopen, add more, search again. On JDK
 * 21+ Lucene 9.12 maps every file with FileChannel.map(mode, offset, size, Arena) (one shared arena
 * per segment, closed with the segment's readers), so on JDK 22+ this runs the provider's Arena
 * override from the multi-release jar (hence an integration test, against the jar). Skipped on JDK
 * 17, where the override does not exist and Lucene would map with the classic map(). File locks are
 * not implemented yet, so the directory uses a SingleInstanceLockFactory.
 */
class LuceneMMapDirectoryIT {
    private static Document doc(String id, String text) {
        Document d = new Document();
        d.add(new StringField("id", id, Field.Store.YES));
        d.add(new TextField("body", text, Field.Store.YES));
        return d;
    }

    private static long hits(DirectoryReader reader, String word) throws Exception {
        TopDocs top = new IndexSearcher(reader).search(new TermQuery(new Term("body", word)), 10);
        return top.totalHits.value;
    }

    @Test
    void indexCommitSearchReopenAddSearch() throws Exception {
        int feature = Runtime.version().feature();
        assumeTrue(
                feature >= 22,
                "Lucene's MMapDirectory maps with FileChannel.map(..., Arena), which PageVFS"
                        + " implements from JDK 22: skipped on JDK "
                        + feature);
        try (PageVfsFileSystem fs = PageVfs.newFileSystem()) {
            Path dir = fs.getPath("/index");
            Files.createDirectory(dir);
            try (MMapDirectory d = new MMapDirectory(dir, new SingleInstanceLockFactory())) {
                try (IndexWriter w =
                        new IndexWriter(d, new IndexWriterConfig(new StandardAnalyzer()))) {
                    w.addDocument(doc("1", "the quick brown fox"));
                    w.addDocument(doc("2", "jumps over the lazy dog"));
                    w.addDocument(doc("3", "a quick brown dog"));
                    w.commit();
                }
                try (DirectoryReader r = DirectoryReader.open(d)) {
                    assertEquals(3, r.numDocs());
                    assertEquals(2, hits(r, "quick"));
                    assertEquals(2, hits(r, "dog"));
                    assertEquals("1", r.storedFields().document(0).get("id"));
                }
                String[] files = d.listAll();
                String segments = null;
                for (String f : files) {
                    if (f.startsWith("segments_")) {
                        segments = f;
                    }
                }
                assertNotNull(segments);
                try (IndexInput in = d.openInput(segments, IOContext.DEFAULT)) {
                    assertTrue(
                            in.getClass().getName().contains("MemorySegmentIndexInput"),
                            "Lucene maps with MemorySegments: " + in.getClass().getName());
                }
            }
            // reopen: a new directory over the same files
            try (MMapDirectory d = new MMapDirectory(dir, new SingleInstanceLockFactory())) {
                try (DirectoryReader before = DirectoryReader.open(d);
                        IndexWriter w =
                                new IndexWriter(
                                        d,
                                        new IndexWriterConfig(new StandardAnalyzer())
                                                .setOpenMode(IndexWriterConfig.OpenMode.APPEND))) {
                    w.addDocument(doc("4", "the fox sleeps"));
                    w.addDocument(doc("5", "quick quick quick"));
                    w.commit();
                    w.forceMerge(1);
                    w.commit();
                    try (DirectoryReader after = DirectoryReader.openIfChanged(before)) {
                        assertNotNull(after);
                        assertEquals(5, after.numDocs());
                        assertEquals(3, hits(after, "quick"));
                        assertEquals(2, hits(after, "fox"));
                    }
                    assertEquals(3, before.numDocs(), "the old reader sees its own commit");
                }
                try (DirectoryReader r = DirectoryReader.open(d)) {
                    assertEquals(5, r.numDocs());
                    assertEquals(1, r.leaves().size());
                }
            }
            fs.kernel().checkInvariants();
        }
    }
}
