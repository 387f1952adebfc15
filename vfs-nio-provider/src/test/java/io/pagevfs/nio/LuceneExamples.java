package io.pagevfs.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.LockFactory;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.store.NIOFSDirectory;
import org.apache.lucene.store.NativeFSLockFactory;
import org.apache.lucene.store.NoLockFactory;
import org.apache.lucene.store.SingleInstanceLockFactory;
import org.junit.jupiter.api.Test;

/**
 * Lucene, a real client that does all its file I/O through java.nio.file: an index is written,
 * searched, reopened, updated and merged in a PageVFS directory through NIOFSDirectory. Lucene's
 * native locks (FileChannel.tryLock) conflict between process views, and MMapDirectory reads
 * through FileChannel.map.
 */
class LuceneExamples {
    @Test
    void nioFsDirectory_indexSearchReopenUpdateAndMerge() throws IOException {
        for (LockFactory locks :
                Arrays.asList(NoLockFactory.INSTANCE, new SingleInstanceLockFactory())) {
            try (PageVfsFileSystem fs = PageVfs.newFileSystem()) {
                Path dir = fs.getPath("/index");
                try (Directory d = new NIOFSDirectory(dir, locks)) {
                    write(d, 0, 50);
                    assertEquals(50, hits(d, "body", "even") + hits(d, "body", "odd"));
                    assertEquals(25, hits(d, "body", "even"));
                    write(d, 50, 100);
                    delete(d, "7");
                    assertEquals(99, numDocs(d));
                }
                try (Directory d = new NIOFSDirectory(dir, locks)) {
                    assertEquals(99, numDocs(d));
                    assertEquals(0, hits(d, "id", "7"));
                    assertEquals(1, hits(d, "id", "77"));
                    forceMerge(d);
                    assertEquals(99, numDocs(d));
                    try (DirectoryReader r = DirectoryReader.open(d)) {
                        assertEquals(1, r.leaves().size());
                    }
                }
                try (var s = Files.list(dir)) {
                    assertTrue(s.anyMatch(p -> p.getFileName().toString().startsWith("segments_")));
                }
            }
        }
    }

    @Test
    void nativeLocks_conflictBetweenProcessViews() throws IOException {
        try (PageVfsFileSystem fs = PageVfs.newFileSystem()) {
            Path dir = fs.getPath("/index");
            Files.createDirectory(dir);
            Files.setPosixFilePermissions(
                    dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
            try (PageVfsFileSystem other = fs.newView(io.pagevfs.core.Credentials.of(1000, 1000));
                    Directory mine = new NIOFSDirectory(dir, NativeFSLockFactory.INSTANCE);
                    Directory theirs =
                            new NIOFSDirectory(
                                    other.getPath("/index"), NativeFSLockFactory.INSTANCE)) {
                try (org.apache.lucene.store.Lock lock = mine.obtainLock("write.lock")) {
                    lock.ensureValid();
                    assertThrows(
                            org.apache.lucene.store.LockObtainFailedException.class,
                            () -> theirs.obtainLock("write.lock"));
                }
                theirs.obtainLock("write.lock").close();
            }
        }
    }

    @Test
    void mmapDirectory_readsAnIndexWrittenThroughChannels() throws IOException {
        try (PageVfsFileSystem fs = PageVfs.newFileSystem()) {
            Path dir = fs.getPath("/index");
            try (Directory d = new NIOFSDirectory(dir, NativeFSLockFactory.INSTANCE)) {
                write(d, 0, 30);
            }
            try (Directory d = new MMapDirectory(dir, NativeFSLockFactory.INSTANCE)) {
                assertEquals(30, numDocs(d));
                assertEquals(15, hits(d, "body", "even"));
                write(d, 30, 40);
                assertEquals(40, numDocs(d));
            }
        }
    }

    private static void write(Directory d, int from, int to) throws IOException {
        try (IndexWriter w = new IndexWriter(d, new IndexWriterConfig(new StandardAnalyzer()))) {
            for (int i = from; i < to; i++) {
                Document doc = new Document();
                doc.add(new StringField("id", Integer.toString(i), Field.Store.YES));
                doc.add(
                        new TextField(
                                "body",
                                "document number " + i + (i % 2 == 0 ? " even" : " odd"),
                                Field.Store.YES));
                w.addDocument(doc);
            }
            w.commit();
        }
    }

    private static void delete(Directory d, String id) throws IOException {
        try (IndexWriter w = new IndexWriter(d, new IndexWriterConfig(new StandardAnalyzer()))) {
            w.deleteDocuments(new Term("id", id));
            w.commit();
        }
    }

    private static void forceMerge(Directory d) throws IOException {
        try (IndexWriter w = new IndexWriter(d, new IndexWriterConfig(new StandardAnalyzer()))) {
            w.forceMerge(1);
            w.commit();
        }
    }

    private static int hits(Directory d, String field, String term) throws IOException {
        try (DirectoryReader r = DirectoryReader.open(d)) {
            return new IndexSearcher(r).count(new TermQuery(new Term(field, term)));
        }
    }

    private static int numDocs(Directory d) throws IOException {
        try (DirectoryReader r = DirectoryReader.open(d)) {
            return r.numDocs();
        }
    }
}
