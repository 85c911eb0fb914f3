"""The site around the posts: listing pages' incremental rules, the post index, tag
pages, the Atom feed and the sitemap."""
